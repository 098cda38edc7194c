/**
 * dynalite 4.0 parses every expression of every request with its PEG parsers (db/conditionParser.js,
 * db/updateParser.js), about a fifth of its CPU under the pipeline's load, though the ledger sends the
 * same few expressions with new values each time. The local cloud keeps each parse it has done, with
 * the expression attribute values left as placeholders, and fills a copy with the request's values
 * next time, when the expression text, the attribute names and the type of every value are the same.
 *
 * What the parsers check depends on exactly those three (syntax, names defined, reserved words, the
 * operand types of functions and operators) except in two places, which are never taken from the
 * cache: BETWEEN compares its two bound values, and attribute_type reads its value's text. A parse
 * that ends in an error (returned as a string, or thrown) is not kept. Each parse marks the names and
 * values it used (so the request can be refused for an unused one); a parse from the cache marks the
 * same ones. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */

type Values = Record<string, unknown>;

interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Values;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  isKeyCondition?: boolean;
}

/** One of dynalite's generated parsers, as its validations call it. */
export interface ExpressionParser {
  parse(text: string, options: { context: ParseContext }): unknown;
}

/** Expressions whose parse reads a value's content, not only its type. */
const READS_VALUES = /between|attribute_type/i;
const MAX_ENTRIES = 1_000;
const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];

/** Where a value of the request goes in a kept parse. */
class Placeholder {
  constructor(readonly name: string) {}
}

interface Entry {
  template: unknown;
  names: string[];
  values: string[];
}

/** An attribute value's type, as the parsers tell it (getImmediateType). */
const typeOf = (value: unknown): string =>
  value && typeof value === 'object' ? (TYPES.find((type) => (value as Record<string, unknown>)[type] != null) ?? '?') : '?';

const keyOf = (text: string, context: ParseContext): string => {
  const types = Object.entries(context.attrVals ?? {}).map(([name, value]) => `${name}:${typeOf(value)}`);
  return JSON.stringify([text, context.isKeyCondition === true, context.attrNames ?? null, types]);
};

/** A deep copy of a parse in which each value of the request (the very object) becomes a placeholder, or back. */
const copy = (node: unknown, swap: (node: object) => unknown): unknown => {
  if (node === null || typeof node !== 'object') return node;
  const swapped = swap(node);
  if (swapped !== undefined) return swapped;
  if (Array.isArray(node)) return node.map((item) => copy(item, swap));
  // The parsers build some maps with Object.create(null); the copy keeps each object's prototype.
  const out = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(node)) out[key] = copy(value, swap);
  return out;
};

const toTemplate = (parsed: unknown, values: Values): unknown => {
  const byObject = new Map<unknown, string>(Object.entries(values).map(([name, value]) => [value, name]));
  return copy(parsed, (node) => (byObject.has(node) ? new Placeholder(byObject.get(node) as string) : undefined));
};

const fromTemplate = (template: unknown, values: Values): unknown =>
  copy(template, (node) => (node instanceof Placeholder ? values[node.name] : undefined));

/** Every name of `all` as not used yet: the parser deletes each one it uses. */
const unused = (all: object | undefined): Record<string, boolean> => Object.fromEntries(Object.keys(all ?? {}).map((name) => [name, true]));

/** Makes `parser.parse` answer an expression it has parsed before from memory (see above). */
export const cacheParses = (parser: ExpressionParser): void => {
  const parse = parser.parse.bind(parser);
  const cache = new Map<string, Entry>();

  parser.parse = (text, options) => {
    const { context } = options;
    if (READS_VALUES.test(text)) return parse(text, options);
    const key = keyOf(text, context);
    const values = context.attrVals ?? {};
    const hit = cache.get(key);
    if (hit) {
      for (const name of hit.names) delete context.unusedAttrNames?.[name];
      for (const name of hit.values) delete context.unusedAttrVals?.[name];
      return fromTemplate(hit.template, values);
    }
    // Parsed against every name and value as unused, so the entry knows all the ones this expression
    // uses, also those an earlier expression of the same request used first.
    const names = unused(context.attrNames);
    const valuesLeft = unused(context.attrVals);
    const parsed = parse(text, { ...options, context: { ...context, unusedAttrNames: names, unusedAttrVals: valuesLeft } });
    const used = {
      names: Object.keys(context.attrNames ?? {}).filter((name) => !(name in names)),
      values: Object.keys(values).filter((name) => !(name in valuesLeft)),
    };
    for (const name of used.names) delete context.unusedAttrNames?.[name];
    for (const name of used.values) delete context.unusedAttrVals?.[name];
    if (parsed === null || typeof parsed !== 'object') return parsed; // an error, as a string
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { ...used, template: toTemplate(parsed, values) });
    return parsed;
  };
};
