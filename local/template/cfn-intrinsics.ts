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

/** A CloudFormation resource as the packaged template declares it. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** A `Fn::GetAtt` the local cloud cannot answer: naming it beats deploying a made-up value. */
export class UnknownAttributeError extends Error {
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    readonly attribute: string,
  ) {
    super(
      `the packaged template asks for Fn::GetAtt ${logicalId}.${attribute}, and the local cloud does not know ${resourceType}'s ${attribute}`,
    );
    this.name = 'UnknownAttributeError';
  }
}

export interface StackIdentity {
  stackName: string;
  region: string;
  accountId: string;
}

/**
 * Ref and Fn::GetAtt as CloudFormation answers them for this stack's resources, with physical names
 * from the name properties, else `<stack>-<LogicalId>`. The return values per resource type:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
 */
export const stackResolver = (
  resources: Record<string, TemplateResource>,
  { stackName, region, accountId }: StackIdentity,
  conditions?: Record<string, unknown>,
): Resolver => {
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const generatedName = (id: string) => `${stackName}-${id}`;
  const resourceOf = (id: string): TemplateResource => {
    const r = resources[id];
    if (!r) throw new Error(`the packaged template refers to unknown ${id}`);
    return r;
  };
  const resolver: Resolver = {
    ref: (id) => {
      if (id in pseudo) return pseudo[id] as string;
      const r = resourceOf(id);
      const p = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::S3::Bucket':
          return String(evaluate(p.BucketName ?? generatedName(id).toLowerCase(), resolver));
        case 'AWS::SNS::Topic':
          return `arn:aws:sns:${region}:${accountId}:${String(evaluate(p.TopicName ?? generatedName(id), resolver))}`;
        case 'AWS::SQS::Queue':
          return `http://sqs.${region}.localhost/${accountId}/${String(evaluate(p.QueueName ?? generatedName(id), resolver))}`;
        case 'AWS::DynamoDB::Table':
          return String(evaluate(p.TableName ?? generatedName(id), resolver));
        case 'AWS::Lambda::Function':
          return String(evaluate(p.FunctionName ?? generatedName(id), resolver));
        default:
          return generatedName(id);
      }
    },
    getAtt: (id, attribute) => {
      const r = resourceOf(id);
      const p = r.Properties ?? {};
      const name = resolver.ref(id);
      const named = (property: unknown) => String(evaluate(property ?? generatedName(id), resolver));
      switch (`${r.Type}.${attribute}`) {
        case 'AWS::S3::Bucket.Arn':
          return `arn:aws:s3:::${name}`;
        case 'AWS::SQS::Queue.Arn':
          return `arn:aws:sqs:${region}:${accountId}:${name.split('/').pop()}`;
        case 'AWS::SQS::Queue.QueueName':
          return name.split('/').pop() as string;
        case 'AWS::Lambda::Function.Arn':
          return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
        case 'AWS::DynamoDB::Table.Arn':
          return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        case 'AWS::SageMaker::Endpoint.EndpointName':
          return named(p.EndpointName);
        case 'AWS::SageMaker::EndpointConfig.EndpointConfigName':
          return named(p.EndpointConfigName);
        case 'AWS::SageMaker::Model.ModelName':
          return named(p.ModelName);
        case 'AWS::IAM::Role.Arn':
          return `arn:aws:iam::${accountId}:role/${generatedName(id)}`;
        case 'AWS::Events::Rule.Arn':
          return `arn:aws:events:${region}:${accountId}:rule/${named(p.Name)}`;
        case 'AWS::Logs::LogGroup.Arn':
          return `arn:aws:logs:${region}:${accountId}:log-group:${named(p.LogGroupName)}:*`;
        case 'AWS::CloudWatch::Alarm.Arn':
          return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${named(p.AlarmName)}`;
        default:
          throw new UnknownAttributeError(id, r.Type, attribute);
      }
    },
    condition: (name) => {
      if (!conditions || !(name in conditions)) throw new Error(`the packaged template has no condition ${name}`);
      return evaluateCondition(conditions[name], resolver);
    },
  };
  return resolver;
};
