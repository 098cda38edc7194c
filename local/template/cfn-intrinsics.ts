/**
 * Evaluates the CloudFormation intrinsic functions used in the packaged template (Ref, Fn::GetAtt,
 * Fn::Sub, Fn::Join, Fn::Select, Fn::Split) with local values for pseudo parameters and resources,
 * so the local cloud derives every name from the same template AWS deploys.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
export interface Resolver {
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): string;
}

export const evaluate = (node: unknown, resolver: Resolver): unknown => {
  if (Array.isArray(node)) return node.map((item) => evaluate(item, resolver));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  const [key, value] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined) {
    switch (key) {
      case 'Ref':
        return resolver.ref(value as string);
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
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, resolver)]));
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
