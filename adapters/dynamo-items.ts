import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, GetCommandInput, PutCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type marshallOptions, type unmarshallOptions } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;

/**
 * The ledger's per-article calls (GetItem, PutItem, UpdateItem) with the document client's inputs and
 * outputs (plain values, marshalled with the same options), on a DynamoDB client that resolves its
 * middleware stack once per command class (`cacheMiddleware`, adapters/clients.ts), which lib-dynamodb's
 * document client refuses. 0.2-0.45 ms less CPU per call in the caller, warm, through the local cloud's
 * edge (docs/benchmarks.md, How the local cloud keeps its own cost down), on five calls per article.
 *
 * Its client takes the document client's region, endpoint, credentials (one provider, so one fetch),
 * retry settings and HTTP handler (so the same connections): no second place to configure DynamoDB.
 * Not the whole resolved configuration: some of it (the retry strategy) would not resolve twice. Errors
 * are the SDK's (ConditionalCheckFailedException and the rest), unchanged.
 */
export class DynamoItems {
  private static readonly byDocuments = new WeakMap<DynamoDBDocumentClient, DynamoItems>();

  /** The one for `documents`: every ledger on one document client shares its client and connections. */
  static for(documents: DynamoDBDocumentClient): DynamoItems {
    let items = DynamoItems.byDocuments.get(documents);
    if (!items) {
      items = new DynamoItems(documents);
      DynamoItems.byDocuments.set(documents, items);
    }
    return items;
  }

  private readonly client: DynamoDBClient;
  private readonly marshallOptions: marshallOptions;
  private readonly unmarshallOptions: unmarshallOptions;

  /**
   * Where middleware for these calls goes (tracing, a test's recorder): not the document client's
   * stack, which they do not pass through.
   */
  get middlewareStack(): DynamoDBClient['middlewareStack'] {
    return this.client.middlewareStack;
  }

  private constructor(documents: DynamoDBDocumentClient) {
    const { region, endpoint, credentials, maxAttempts, retryMode, requestHandler } = documents.config;
    this.client = new DynamoDBClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      credentials,
      maxAttempts,
      retryMode,
      requestHandler,
      cacheMiddleware: true,
    });
    // Copies, with the whole-item forms: lib-dynamodb converts value by value, so it sets its container
    // options on the objects it was given, and with them marshall() would wrap a whole item in one map
    // attribute and unmarshall() would take a whole item for one value.
    const translate = documents.config.translateConfig;
    this.marshallOptions = { ...translate?.marshallOptions, convertTopLevelContainer: false };
    this.unmarshallOptions = { ...translate?.unmarshallOptions, convertWithoutMapWrapper: false };
  }

  async get(input: GetCommandInput): Promise<Item | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ ...input, Key: this.marshall(input.Key) }));
    return Item && unmarshall(Item, this.unmarshallOptions);
  }

  /** The attributes the put returned (ReturnValues), `{}` when it returned none. */
  async put(input: PutCommandInput): Promise<Item> {
    const { Item: item, ExpressionAttributeValues: values, ...rest } = input;
    const { Attributes } = await this.client.send(
      new PutItemCommand({ ...rest, Item: this.marshall(item), ...(values ? { ExpressionAttributeValues: this.marshall(values) } : {}) }),
    );
    return Attributes ? unmarshall(Attributes, this.unmarshallOptions) : {};
  }

  /** The attributes the update returned (ReturnValues), `{}` when it returned none. */
  async update(input: UpdateCommandInput): Promise<Item> {
    const { Key: key, ExpressionAttributeValues: values, ...rest } = input;
    const { Attributes } = await this.client.send(
      new UpdateItemCommand({ ...rest, Key: this.marshall(key), ...(values ? { ExpressionAttributeValues: this.marshall(values) } : {}) }),
    );
    return Attributes ? unmarshall(Attributes, this.unmarshallOptions) : {};
  }

  private marshall(values: Item | undefined) {
    return marshall(values ?? {}, this.marshallOptions);
  }
}
