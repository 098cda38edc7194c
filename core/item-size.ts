/**
 * A DynamoDB item's size as DynamoDB counts it against the 400 KB limit: attribute names and values in
 * UTF-8 bytes, numbers at about one byte per two significant digits plus one, booleans and nulls one byte,
 * and 3 bytes plus 1 per element for lists and maps
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html). Write units are
 * counted per KB of it, so the cost model (core/cost.ts) prices the ledger's writes by it.
 */
const valueSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]|^0+/g, '').length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  return (
    3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, v]) => sum + 1 + Buffer.byteLength(name) + valueSize(v), 0)
  );
};

export const itemSizeBytes = (item: object): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
