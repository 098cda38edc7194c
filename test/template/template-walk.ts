/**
 * Walks a packaged CloudFormation template for the template tests: every string it holds, and a node
 * with its Fn::If branches chosen by the template's Conditions.
 */
import { evaluateCondition, type Resolver } from '../../local/template/cfn-intrinsics';

export interface TemplateString {
  /** Where the string is, as a dotted path (`Resources.SubmitArticleRole.Properties.Policies.0...`). */
  at: string;
  text: string;
}

/**
 * Every string of the template with its path: plain values, the text of each Fn::Sub, and each
 * Fn::Join's parts joined (a Ref or other function in between shows as `${…}`), so a partition split
 * over several parts is still seen.
 */
export const templateStrings = (node: unknown, at = ''): TemplateString[] => {
  if (typeof node === 'string') return [{ at, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => templateStrings(item, `${at}.${i}`));
  if (node === null || typeof node !== 'object') return [];
  const entries = Object.entries(node as Record<string, unknown>);
  const join = (node as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const joined =
    entries.length === 1 && Array.isArray(join) && Array.isArray(join[1])
      ? [{ at: `${at}.Fn::Join`, text: join[1].map((part) => (typeof part === 'string' ? part : '${…}')).join(join[0]) }]
      : [];
  return [...joined, ...entries.flatMap(([key, value]) => templateStrings(value, at ? `${at}.${key}` : key))];
};

const NO_VALUE = Symbol('AWS::NoValue');

/** `node` with every Fn::If replaced by the branch its condition picks; AWS::NoValue drops the item. */
export const chooseBranches = (node: unknown, conditions: Record<string, unknown> = {}): unknown => {
  const resolver: Resolver = {
    ref: (id) => {
      throw new Error(`a condition refers to ${id}`);
    },
    getAtt: (id) => {
      throw new Error(`a condition refers to ${id}`);
    },
    condition: (name) => evaluateCondition(conditions[name], resolver),
  };
  const choose = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(choose).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if ((record as { Ref?: string }).Ref === 'AWS::NoValue') return NO_VALUE;
    const branch = record['Fn::If'] as [string, unknown, unknown] | undefined;
    if (branch && Object.keys(record).length === 1) return choose(resolver.condition?.(branch[0]) ? branch[1] : branch[2]);
    return Object.fromEntries(
      Object.entries(record)
        .map(([key, item]) => [key, choose(item)])
        .filter(([, item]) => item !== NO_VALUE),
    );
  };
  const chosen = choose(node);
  return chosen === NO_VALUE ? undefined : chosen;
};
