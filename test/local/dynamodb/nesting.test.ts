import { jsonDepth, MAX_NESTING_LEVELS, NESTING_MESSAGE, nestingRefusal } from '../../../local/dynamodb/nesting';

/** A scalar wrapped in `wraps` maps or lists: `wraps + 1` levels, the top-level attribute being level 1. */
const nested = (wraps: number, kind: 'M' | 'L' = 'M'): unknown => {
  let value: unknown = { S: 'leaf' };
  for (let i = 0; i < wraps; i++) value = kind === 'M' ? { M: { inner: value } } : { L: [value] };
  return value;
};
const putItem = (value: unknown) => Buffer.from(JSON.stringify({ TableName: 'ledger', Item: { pk: { S: 'a' }, doc: value } }));

describe("DynamoDB's 32 levels of nested attributes, checked before dynalite", () => {
  it('passes a value 32 levels deep, maps or lists, and refuses one 33 levels deep', () => {
    const wraps = MAX_NESTING_LEVELS - 1;

    expect(nestingRefusal(putItem(nested(wraps, 'M')))).toBeUndefined();
    expect(nestingRefusal(putItem(nested(wraps, 'L')))).toBeUndefined();
    expect(nestingRefusal(putItem(nested(wraps + 1, 'M')))).toBe(NESTING_MESSAGE);
    expect(nestingRefusal(putItem(nested(wraps + 1, 'L')))).toBe(NESTING_MESSAGE);
  });

  it('counts the values of every part of a request: expression values and batch writes too', () => {
    const update = {
      TableName: 'ledger',
      Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET d = :d',
      ExpressionAttributeValues: { ':d': nested(32) },
    };
    const batch = { RequestItems: { ledger: [{ PutRequest: { Item: { pk: { S: 'a' }, doc: nested(32, 'L') } } }] } };
    const batchAtLimit = { RequestItems: { ledger: [{ PutRequest: { Item: { pk: { S: 'a' }, doc: nested(31, 'L') } } }] } };

    expect(nestingRefusal(Buffer.from(JSON.stringify(update)))).toBe(NESTING_MESSAGE);
    expect(nestingRefusal(Buffer.from(JSON.stringify(batch)))).toBe(NESTING_MESSAGE);
    expect(nestingRefusal(Buffer.from(JSON.stringify(batchAtLimit)))).toBeUndefined();
  });

  it('refuses 100,000 levels without parsing them, and ignores brackets inside strings', () => {
    const deep = Buffer.from(
      `{"TableName":"ledger","Item":{"pk":{"S":"a"},"doc":${'{"L":['.repeat(100_000)}{"S":"x"}${']}'.repeat(100_000)}}}`,
    );
    const brackets = putItem({ S: '{'.repeat(1_000) + '[\\"'.repeat(1_000) });

    expect(nestingRefusal(deep)).toBe(NESTING_MESSAGE);
    expect(jsonDepth(brackets)).toBe(3);
    expect(nestingRefusal(brackets)).toBeUndefined();
  });

  it('leaves a body that is not JSON to dynalite, which answers it as DynamoDB does', () => {
    expect(nestingRefusal(Buffer.from(`{not json${'['.repeat(70)}`))).toBeUndefined();
  });
});
