/**
 * DynamoDB's nesting limit, checked at the edge before dynalite sees a request: "Nested attribute
 * depth: DynamoDB supports nested attributes up to 32 levels deep"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html). dynalite 4.0
 * has no such limit and validates attribute values recursively, so one PutItem nested 100,000 levels
 * deep overflows its stack and ends its process (local/README.md, Traps).
 *
 * A level is one attribute value (`{"S": …}`, `{"M": {…}}`, `{"L": […]}`), the top-level attribute
 * being level 1: a scalar inside 31 maps is at level 32 and passes, inside 32 maps it is refused.
 * Every attribute value of the request counts (Item, Key, ExpressionAttributeValues, …). DynamoDB's
 * answer is a ValidationException; its wording here is what clients of the real service report, not
 * documented by AWS (UNVERIFIED).
 */

export const MAX_NESTING_LEVELS = 32;

/**
 * A value of n levels takes at least 2n - 1 JSON levels (`{"M":{` per map or list, `{"S":…}` for the
 * scalar) and sits inside at least two more (the request and its Item or Key), so a body shallower
 * than this cannot hold a value past the limit and passes unparsed.
 */
const SHALLOWEST_REFUSED_JSON_DEPTH = 2 + 2 * (MAX_NESTING_LEVELS + 1) - 1;

/**
 * A value at the limit takes at most 2 × 32 JSON levels and no request puts it deeper than 6 levels
 * down (BatchWriteItem: RequestItems, table, request, PutRequest, Item); with room to spare, a body
 * deeper than this is refused unparsed, so parsing never costs the edge more than a bounded walk.
 */
const MAX_JSON_DEPTH = 6 + 2 * MAX_NESTING_LEVELS + 8;

export const NESTING_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in a JSON text, strings skipped (UTF-8 bytes). */
export const jsonDepth = (body: Buffer): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte)) deepest = Math.max(deepest, ++depth);
    else if (CLOSE.has(byte)) depth--;
  }
  return deepest;
};

const TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** An object with exactly one key, an attribute value type. */
const isAttributeValue = (node: object): boolean => {
  if (Array.isArray(node)) return false;
  const keys = Object.keys(node);
  return keys.length === 1 && TYPES.has(keys[0] as string);
};

/**
 * The most attribute values nested in one another anywhere in a parsed request. Counts an attribute
 * named like a type (`{"M": {"S": "x"}}` as an item) as a level too: the edge may refuse such an item
 * one level early, never let a deeper one through. Walks with a stack of its own, not recursion.
 */
export const attributeNesting = (request: unknown): number => {
  let deepest = 0;
  const stack: Array<{ node: unknown; levels: number }> = [{ node: request, levels: 0 }];
  while (stack.length > 0) {
    const { node, levels: above } = stack.pop() as { node: unknown; levels: number };
    if (node === null || typeof node !== 'object') continue;
    const levels = above + (isAttributeValue(node) ? 1 : 0);
    deepest = Math.max(deepest, levels);
    for (const child of Object.values(node)) stack.push({ node: child, levels });
  }
  return deepest;
};

/** Why this DynamoDB request body is refused for its nesting, if it is. */
export const nestingRefusal = (body: Buffer): string | undefined => {
  const depth = jsonDepth(body);
  if (depth < SHALLOWEST_REFUSED_JSON_DEPTH) return undefined;
  if (depth > MAX_JSON_DEPTH) return NESTING_MESSAGE;
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf-8'));
  } catch {
    return undefined; // not JSON: dynalite answers with DynamoDB's SerializationException
  }
  return attributeNesting(request) > MAX_NESTING_LEVELS ? NESTING_MESSAGE : undefined;
};
