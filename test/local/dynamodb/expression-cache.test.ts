import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { cacheParses, type ExpressionParser } from '../../../local/dynamodb/expression-cache';
import { claimableState, eachWith, neverSubmitted, stepUnansweredFromEarlierRequest } from '../../../adapters/ledger-conditions';
import { startDynalite, type DynaliteServer } from '../../support/dynalite-server';

// dynalite's own parsers and validation, as its actions use them: this test file has its own module
// registry (Jest), so the caching below reaches only this file's dynalite.
/* eslint-disable @typescript-eslint/no-require-imports */
const conditionParser = require('dynalite/db/conditionParser') as ExpressionParser;
const updateParser = require('dynalite/db/updateParser') as ExpressionParser;
const { validateExpressions } = require('dynalite/validations') as { validateExpressions: (data: Request) => string | undefined };
/* eslint-enable @typescript-eslint/no-require-imports */

const originals = { condition: conditionParser.parse, update: updateParser.parse };
cacheParses(conditionParser);
cacheParses(updateParser);
const cached = { condition: conditionParser.parse, update: updateParser.parse };

interface Request {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  _updates?: unknown;
  _condition?: unknown;
}

/** dynalite's validation of a request's expressions, with its parsers as they came or with the cache. */
const validate = (request: Request, withCache: boolean) => {
  const parsers = withCache ? cached : originals;
  conditionParser.parse = parsers.condition;
  updateParser.parse = parsers.update;
  try {
    const data = structuredClone(request);
    const error = validateExpressions(data);
    return { error, updates: data._updates, condition: data._condition };
  } finally {
    conditionParser.parse = cached.condition;
    updateParser.parse = cached.update;
  }
};

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });

/** Requests like the ledger's, each given twice with different values of the same types. */
const REQUESTS: Array<[string, (n: number) => Request]> = [
  [
    'the claim: an OR of AND-terms with IN',
    (n) => ({
      UpdateExpression: 'SET #state = :queued, claimedBy = :me, claimedAt = :now',
      ConditionExpression: eachWith(claimableState, [neverSubmitted, 'claimedAt < :staleBefore']),
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':queued': S('QUEUED'),
        ':failed': S('FAILED'),
        ':rejected': S('REJECTED'),
        ':me': S(`request-${n}`),
        ':now': S(`2026-12-07T10:00:0${n}Z`),
        ':staleBefore': S(`2026-12-07T09:00:0${n}Z`),
      },
    }),
  ],
  [
    'a step of a long article: nested paths, a map value, if_not_exists, ADD',
    (n) => ({
      UpdateExpression: 'SET #steps.#step = :record, requestCount = if_not_exists(requestCount, :zero) + :one ADD tries :one',
      ConditionExpression: stepUnansweredFromEarlierRequest,
      ExpressionAttributeNames: { '#steps': 'steps', '#step': 'part-7', '#s': 'state', '#id': 'id' },
      ExpressionAttributeValues: {
        ':record': { M: { state: S('SENT'), id: S(`step-${n}`), at: N(String(n)) } },
        ':zero': N('0'),
        ':one': N('1'),
        ':stepDone': S('DONE'),
        ':stepId': S(`step-${n}`),
      },
    }),
  ],
  [
    'a removal, list_append, size and begins_with',
    (n) => ({
      UpdateExpression: 'SET history = list_append(if_not_exists(history, :empty), :entry) REMOVE eventPendingSince',
      ConditionExpression: 'size(history) < :max AND begins_with(#key, :prefix) AND finishId = :finishId',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: {
        ':empty': { L: [] },
        ':entry': { L: [S(`entry ${n}`)] },
        ':max': N(String(100 + n)),
        ':prefix': S(`input/${n}`),
        ':finishId': S(`finish-${n}`),
      },
    }),
  ],
];

describe("dynalite's expression parses kept with their values as placeholders (expression-cache.ts)", () => {
  it.each(REQUESTS)('%s: a parse from the cache equals a new parse with the new values', (_, request) => {
    validate(request(1), true); // parsed and kept
    const fromCache = validate(request(2), true);
    const fresh = validate(request(2), false);

    expect(fromCache.error).toBeUndefined();
    expect(fromCache).toEqual(fresh);
    expect(JSON.stringify(fromCache)).not.toMatch(/request-1|step-1|entry 1|finish-1|input\/1/);
  });

  it('parses again when a value changes type, and refuses what the parser refuses', () => {
    const add = (value: AttributeValue): Request => ({ UpdateExpression: 'SET n = n + :v', ExpressionAttributeValues: { ':v': value } });

    expect(validate(add(N('1')), true).error).toBeUndefined();
    const refused = validate(add(S('one')), true);

    expect(refused.error).toMatch(/Incorrect operand type for operator or function; operator or function: \+, operand type: S$/);
    expect(refused.error).toBe(validate(add(S('one')), false).error);
  });

  it('never serves BETWEEN or attribute_type from the cache: both read the value itself', () => {
    const between = (lo: string, hi: string): Request => ({
      ConditionExpression: 'n BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':lo': N(lo), ':hi': N(hi) },
    });
    const typed = (type: string): Request => ({
      ConditionExpression: 'attribute_type(n, :t)',
      ExpressionAttributeValues: { ':t': S(type) },
    });

    expect(validate(between('1', '2'), true).error).toBeUndefined();
    expect(validate(between('2', '1'), true).error).toMatch(/upper bound to be greater than or equal to lower bound/);
    expect(validate(typed('N'), true).error).toBeUndefined();
    expect(validate(typed('NUMBER'), true).error).toMatch(/Invalid attribute type name found; type: NUMBER/);
  });

  it('marks the names and values an expression uses, also those an earlier expression of the request used first', () => {
    const first: Request = {
      UpdateExpression: 'SET #s = :done',
      ConditionExpression: '#s = :queued',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':done': S('DONE'), ':queued': S('QUEUED') },
    };
    const second: Request = { ...first, UpdateExpression: 'SET note = :done' };
    const unused: Request = { ...first, ExpressionAttributeValues: { ...first.ExpressionAttributeValues, ':extra': S('x') } };

    expect(validate(first, true).error).toBeUndefined();
    expect(validate(second, true).error).toBeUndefined();
    expect(validate(second, false).error).toBeUndefined();
    expect(validate(unused, true).error).toBe(validate(unused, false).error);
    expect(validate(unused, true).error).toMatch(/unused in expressions: keys: \{:extra\}/);
  });
});

describe('conditional writes through the SDK, on a dynalite whose parses are cached', () => {
  let dynamo: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    client = dynamo.client;
    await client.send(
      new CreateTableCommand({
        TableName: 'rows',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
  });

  afterAll(() => dynamo.stop());

  it('checks each write against its own values: the same expression passes, then fails, then passes', async () => {
    const finish = (id: string, from: string, to: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: 'rows',
          Key: { id: S(id) },
          UpdateExpression: 'SET #s = :to',
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':from': S(from), ':to': S(to) },
        }),
      );
    await client.send(new PutItemCommand({ TableName: 'rows', Item: { id: S('a'), state: S('QUEUED') } }));
    await client.send(new PutItemCommand({ TableName: 'rows', Item: { id: S('b'), state: S('QUEUED') } }));

    await finish('a', 'QUEUED', 'COMPLETED');
    await expect(finish('b', 'FAILED', 'COMPLETED')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await finish('b', 'QUEUED', 'FAILED');

    const state = async (id: string) => (await client.send(new GetItemCommand({ TableName: 'rows', Key: { id: S(id) } }))).Item?.state?.S;
    expect([await state('a'), await state('b')]).toEqual(['COMPLETED', 'FAILED']);
  });
});
