/**
 * Evaluates the CloudFormation intrinsic functions used in the packaged template (Ref, Fn::GetAtt,
 * Fn::Sub, Fn::Join, Fn::Select, Fn::Split, and Fn::If on the template's Conditions, where
 * AWS::NoValue removes the property or list item) with local values for pseudo parameters and resources,
 * so the local cloud derives every name from the same template AWS deploys.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
export interface Resolver {
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
  /** The value of a condition of the template's Conditions section (Fn::If). */
  condition?(name: string): boolean;
}

/** `Ref: AWS::NoValue`: "removes the corresponding resource property when specified as a return value in the Fn::If". */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Condition functions over literal values: after `serverless package` every parameter is a literal.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
 */
export const evaluateCondition = (node: unknown, resolver: Resolver): boolean => {
  const [key, value] = Object.entries((node ?? {}) as Record<string, unknown>)[0] ?? [];
  const args = (Array.isArray(value) ? value : [value]) as unknown[];
  switch (key) {
    case 'Fn::Equals':
      return String(evaluate(args[0], resolver)) === String(evaluate(args[1], resolver));
    case 'Fn::Not':
      return !evaluateCondition(args[0], resolver);
    case 'Fn::And':
      return args.every((arg) => evaluateCondition(arg, resolver));
    case 'Fn::Or':
      return args.some((arg) => evaluateCondition(arg, resolver));
    case 'Condition':
      return conditionOf(String(value), resolver);
    default:
      throw new Error(`local cloud: unsupported condition ${JSON.stringify(node)}`);
  }
};

const conditionOf = (name: string, resolver: Resolver): boolean => {
  if (!resolver.condition) throw new Error(`local cloud: the template uses condition ${name} but declares no Conditions`);
  return resolver.condition(name);
};

export const evaluate = (node: unknown, resolver: Resolver): unknown => {
  if (Array.isArray(node)) return node.map((item) => evaluate(item, resolver)).filter((item) => item !== NO_VALUE);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  const [key, value] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined) {
    switch (key) {
      case 'Ref':
        return value === 'AWS::NoValue' ? NO_VALUE : resolver.ref(value as string);
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = value as [string, unknown, unknown];
        return evaluate(conditionOf(name, resolver) ? whenTrue : whenFalse, resolver);
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(value) ? value : String(value).split('.');
        return resolver.getAtt(id as string, attribute as string);
      }
      case 'Fn::Sub':
        return substitute(value, resolver);
      case 'Fn::Join': {
        const [separator, items] = value as [string, unknown[]];
        return (evaluate(items, resolver) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, items] = value as [unknown, unknown];
        return (evaluate(items, resolver) as unknown[])[Number(evaluate(index, resolver))];
      }
      case 'Fn::Split': {
        const [separator, text] = value as [string, unknown];
        return String(evaluate(text, resolver)).split(separator);
      }
      default:
        if (key.startsWith('Fn::')) throw new Error(`local cloud: unsupported intrinsic ${key}`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, resolver)]).filter(([, v]) => v !== NO_VALUE));
};

const substitute = (value: unknown, resolver: Resolver): string => {
  const [text, variables = {}] = (Array.isArray(value) ? value : [value]) as [string, Record<string, unknown>?];
  const locals = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(evaluate(v, resolver))]));
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal} is an escaped ${Literal}
    if (name in locals) return locals[name] as string;
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return resolver.getAtt(name.slice(0, dot), name.slice(dot + 1));
    return resolver.ref(name) ?? whole;
  });
};
