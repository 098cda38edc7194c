/**
 * The part of CloudWatch metric math an alarm of the endpoint may use: + - * / and unary minus over
 * metric Ids, numbers and parentheses (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
 * The result has a value at every period where one of its time series has one: "Missing values in a
 * time series are treated as 0", and a division by zero drops the datapoint (same page, "Basic
 * arithmetic functions"). Functions (FILL, IF, MAX, ...) are refused when the alarm is read, so the
 * emulator never evaluates an alarm other than AWS would.
 */

/** Values by period start (simulated epoch ms). */
export type Series = ReadonlyMap<number, number>;

export class UnsupportedExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`metric math expression "${expression}": ${reason} (the emulator supports + - * /, parentheses, numbers and metric Ids)`);
    this.name = 'UnsupportedExpressionError';
  }
}

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'id'; id: string }
  | { kind: 'negate'; of: Node }
  | { kind: 'binary'; op: Operator; left: Node; right: Node };
type Operator = '+' | '-' | '*' | '/';
type Value = number | Series;

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([a-z][a-zA-Z0-9_]*)|([A-Z][A-Z_0-9]*)|([-+*/()]))/y;

const tokenize = (expression: string): string[] => {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new UnsupportedExpressionError(expression, `unexpected "${expression.slice(at).trim()}"`);
    if (match[3]) throw new UnsupportedExpressionError(expression, `function ${match[3]} is not supported`);
    tokens.push((match[1] ?? match[2] ?? match[4]) as string);
  }
  return tokens;
};

const parse = (expression: string, ids: ReadonlySet<string>): Node => {
  const tokens = tokenize(expression);
  let next = 0;
  const fail = (reason: string): never => {
    throw new UnsupportedExpressionError(expression, reason);
  };
  const primary = (): Node => {
    const token = tokens[next++];
    if (token === undefined) return fail('it ends too soon');
    if (token === '(') {
      const inner = sum();
      if (tokens[next++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    if (token === '-') return { kind: 'negate', of: primary() };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[a-z]/.test(token)) return ids.has(token) ? { kind: 'id', id: token } : fail(`no metric has the Id ${token}`);
    return fail(`unexpected "${token}"`);
  };
  const product = (): Node => {
    let node = primary();
    while (tokens[next] === '*' || tokens[next] === '/')
      node = { kind: 'binary', op: tokens[next++] as Operator, left: node, right: primary() };
    return node;
  };
  const sum = (): Node => {
    let node = product();
    while (tokens[next] === '+' || tokens[next] === '-')
      node = { kind: 'binary', op: tokens[next++] as Operator, left: node, right: product() };
    return node;
  };
  const root = sum();
  if (next < tokens.length) fail(`unexpected "${tokens[next]}"`);
  return root;
};

const apply = (op: Operator, a: number, b: number): number | undefined => {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  return b === 0 ? undefined : a / b;
};

const combine = (op: Operator, left: Value, right: Value): Value => {
  if (typeof left === 'number' && typeof right === 'number') return apply(op, left, right) ?? Number.NaN;
  const keys = new Set([...(typeof left === 'number' ? [] : left.keys()), ...(typeof right === 'number' ? [] : right.keys())]);
  const result = new Map<number, number>();
  for (const key of [...keys].sort((a, b) => a - b)) {
    const a = typeof left === 'number' ? left : (left.get(key) ?? 0);
    const b = typeof right === 'number' ? right : (right.get(key) ?? 0);
    const value = apply(op, a, b);
    if (value !== undefined) result.set(key, value);
  }
  return result;
};

const evaluate = (node: Node, series: Readonly<Record<string, Series>>): Value => {
  if (node.kind === 'number') return node.value;
  if (node.kind === 'id') return series[node.id] ?? new Map();
  if (node.kind === 'negate') return combine('-', 0, evaluate(node.of, series));
  return combine(node.op, evaluate(node.left, series), evaluate(node.right, series));
};

/**
 * Parses `expression` over the metric Ids `ids` (throws UnsupportedExpressionError at once) and
 * returns the function that computes its time series from theirs.
 */
export const compileExpression = (expression: string, ids: readonly string[]): ((series: Readonly<Record<string, Series>>) => Series) => {
  const root = parse(expression, new Set(ids));
  const usesMetric = (node: Node): boolean =>
    node.kind === 'id' ||
    (node.kind === 'negate' && usesMetric(node.of)) ||
    (node.kind === 'binary' && (usesMetric(node.left) || usesMetric(node.right)));
  // A series combined with anything is a series: only an expression without a metric gives a number.
  if (!usesMetric(root)) throw new UnsupportedExpressionError(expression, 'it uses no metric, so it is not a time series');
  return (series) => evaluate(root, series) as Series;
};
