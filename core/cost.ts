/**
 * What an article cost, in US dollars, item by item as the AWS bill lists the charges: its share of the
 * endpoint's instance time, the data the endpoint processed, the Lambda requests and duration, the S3
 * requests, the SNS publishes, the ledger's DynamoDB read and write units, and the CloudWatch Logs it
 * wrote. Plain arithmetic on the prices of core/prices.ts; the instance price is a deploy parameter
 * (instancePricePerHour). docs/aws.md "What it costs on AWS" says what each item counts and how exact it is.
 *
 * The instance share is the article's time in the endpoint over the concurrency, and that time includes
 * the time its requests waited in the queue (SageMaker's notification says when a request arrived and
 * when its result was written, not when the model started on it). Rows therefore overstate the instance
 * time while a backlog waits; the batch's billed instance time (instance-hours × price, idle and
 * provisioning included) is what `npm run status` adds to the rows' other items (billedCost).
 */

import { itemSizeBytes } from './item-size';
import { GB, PRICES } from './prices';

/** The bill's items for one article, each in US dollars. */
export interface CostItems {
  /** Time in the endpoint (queued included) / concurrency × the instance price. */
  instance: number;
  /** SageMaker inference data processed in and out. */
  sagemakerData: number;
  lambdaRequests: number;
  /** GB-seconds each invocation spent on the article until its last ledger write, at the function's memory. */
  lambdaDuration: number;
  s3Requests: number;
  /** The endpoint's notification per request and the article's event. */
  snsPublishes: number;
  /** Write and read units of the ledger's writes and reads, table and indexes (ledgerUnits). */
  dynamodb: number;
  /** CloudWatch Logs ingestion: the functions' and the endpoint's log lines. */
  logs: number;
}

export const COST_ITEMS = [
  'instance',
  'sagemakerData',
  'lambdaRequests',
  'lambdaDuration',
  's3Requests',
  'snsPublishes',
  'dynamodb',
  'logs',
] as const satisfies readonly (keyof CostItems)[];

/** What pricing an article needs beyond core/prices.ts: the deploy parameters. */
export interface CostSettings {
  /** MaxConcurrentInvocationsPerInstance: an instance runs that many requests at once. */
  concurrency: number;
  instancePricePerHour: number;
}

/**
 * Bytes of CloudWatch Logs per function invocation: Lambda's START, END and REPORT lines (about 330
 * bytes) and the function's own JSON lines (one of about 600 bytes per record: `article queued`,
 * `result recorded`), measured from the local cloud's logs/<function>.log (docs/aws.md).
 */
export const LOG_BYTES_PER_INVOCATION = 1000;
/**
 * Bytes the endpoint's container logs per request (the model server's access and timing lines).
 * An estimate: the Hugging Face container's log lines were not measured here.
 */
export const ENDPOINT_LOG_BYTES_PER_REQUEST = 1000;

/** Usage counted on the row as it happens (core/ledger.ts Usage): Lambda GB-seconds, bytes in and out of the model. */
export interface MeteredUsage {
  lambdaGbs?: number;
  dataInBytes?: number;
  dataOutBytes?: number;
}

/** The row an article ends with, as far as pricing reads it (core/ledger.ts LedgerRow). */
export interface PricedRow extends MeteredUsage {
  state?: string;
  attempt?: number;
  submittedAt?: string;
  extractedLocation?: string;
  parts?: number;
  level?: number;
  steps?: Record<string, object>;
  [attribute: string]: unknown;
}

/** The endpoint time and model requests of the article, every attempt included (articleSpend). */
export interface Spend {
  endpointMs: number;
  requests: number;
}

const KB = 1024;
const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));
/** A strongly consistent read: 1 read unit per 4 KB (CapacityUnitCalculations). */
const readUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / (4 * KB)));

/** What the costItems map adds to the row it is written on (8 numbers and their names). */
const COST_ITEMS_BYTES = 160;

/** What byState projects of a row besides its keys (resources/ledger-table.yml): its entry once finished. */
const BY_STATE_ATTRIBUTES = [
  'articleId',
  'state',
  'receivedAt',
  'key',
  'batch',
  'completedAt',
  'costUsd',
  'summary',
  'reason',
  'level',
  'levelSize',
  'levelDone',
];

/**
 * The ledger's write and read units for an article, from the row it ends with, by DynamoDB's rules
 * (docs/ledger.md "What a write costs"): each write 1 unit per KB of the row, each index entry it
 * changes 1 per KB of the entry (2 when an index key changes), each strongly consistent read 1 unit
 * per 4 KB. The row's own writes are known from its shape: claimed, submitted, finished, and its event's
 * pending mark removed; a long article's every step sent and recorded, growing the row by one step record
 * each send, and each level started; each retry reopens and resubmits it. An estimate from the row's final shape:
 * test/bench/ledger-write-units.test.ts measures the units of every write through the functions' own
 * code (docs/ledger.md), and is not yet compared with this model.
 */
export const ledgerUnits = (row: PricedRow, requests: number): { writes: number; reads: number } => {
  const attempts = row.attempt ?? 1;
  const size = itemSizeBytes(row) + COST_ITEMS_BYTES;
  const submitted = row.submittedAt !== undefined;
  const retries = attempts - 1;
  const finishedEntry = writeUnits(
    itemSizeBytes(Object.fromEntries(BY_STATE_ATTRIBUTES.filter((name) => row[name] !== undefined).map((name) => [name, row[name]]))) +
      COST_ITEMS_BYTES,
  );
  // Indexes (resources/ledger-table.yml): byState gets the QUEUED entry, then its delete and the finished
  // entry; byDay one entry; byPublishedDay the claim, the document's facts and the state; byBatch the claim
  // and the finish; byPendingEvent the finish's mark and its removal once the event is published. A retry
  // moves each again (state, receivedAt and day change).
  let indexes = 1 + 1 + finishedEntry + 1 + (submitted ? 3 : 2) + 2 + 2 + retries * (2 + 2 + 2 + 3 + 2);
  let table: number;
  let reads = requests * readUnits(size);
  if (row.parts === undefined) {
    table = 1 + (submitted ? writeUnits(size) : 0) + writeUnits(size) + retries * 2 * writeUnits(size);
  } else {
    const steps = Object.entries(row.steps ?? {});
    const stepsBytes = steps.length > 0 ? itemSizeBytes({ steps: row.steps }) : 0;
    const record = steps.length > 0 ? stepsBytes / steps.length : 0;
    const perLevel = new Map<number, number>();
    for (const [step] of steps) {
      const level = step.startsWith('p') ? 0 : Number(step.slice(1, step.indexOf('-')));
      perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
    }
    // Claimed and split at the row's size without its steps; then, level by level, each step sent (the row
    // grows by its record) and each recorded (about the same size), and each level after the parts started.
    let current = size - stepsBytes;
    table = 2 * writeUnits(current);
    for (const level of [...perLevel.keys()].sort((a, b) => a - b)) {
      const n = perLevel.get(level) ?? 0;
      for (let k = 1; k <= n; k++) table += writeUnits(current + k * record);
      current += n * record;
      table += n * writeUnits(current) + (level > 0 ? writeUnits(current) : 0);
      if (level === 0 && submitted) table += writeUnits(current);
    }
    const resent = Math.max(0, requests - steps.length);
    table += writeUnits(size) + (retries * 2 + resent * 2) * writeUnits(size);
    // byState: the split, each step that moves levelDone and each level started; byBatch none more.
    indexes += 1 + steps.length + resent + perLevel.size - 1;
    // submit-article reads the split back, and each level's mover its row once more.
    reads = requests * readUnits((size - stepsBytes + size) / 2) + perLevel.size * readUnits(size);
  }
  // Each attempt's end is published, then its pending mark removed: one more write of the row.
  table += attempts * writeUnits(size);
  return { writes: table + indexes, reads };
};

const round = (usd: number): number => Math.round(usd * 1e9) / 1e9;

/**
 * Every item of the article's bill (CostItems), from the row it ends with and what it spent in the
 * endpoint. Requests counted from the pipeline (README "How it works"): the upload, each request object
 * and each output or failure SageMaker writes are S3 PUTs, and so are a document's extracted body and a
 * long article's part summaries; the article read per attempt, each request read by SageMaker and each
 * step summary read again when its level completes are GETs (outputs come inline in the notification:
 * IncludeInferenceResponseIn). One Lambda invocation submits the article and one records each request's
 * notification; one SNS publish per request and one for the article's event.
 */
export const costItemsOf = (row: PricedRow, spend: Spend, settings: CostSettings): CostItems => {
  const p = PRICES;
  const { requests } = spend;
  const attempts = row.attempt ?? 1;
  const long = row.parts !== undefined;
  // A document's extracted body is written once per attempt that read it (the row names the latest).
  const document = row.extractedLocation !== undefined;
  const puts = 1 + 2 * requests + (document ? attempts : 0) + (long ? 1 : 0);
  const gets = attempts + requests + (long ? Math.max(0, requests - 1) : 0);
  const invocations = 1 + requests;
  const ledger = ledgerUnits(row, requests);
  return {
    instance: round((spend.endpointMs / 1000 / Math.max(1, settings.concurrency)) * (settings.instancePricePerHour / 3600)),
    sagemakerData: round(((row.dataInBytes ?? 0) / GB) * p.sagemakerDataIn.usd + ((row.dataOutBytes ?? 0) / GB) * p.sagemakerDataOut.usd),
    lambdaRequests: round(invocations * p.lambdaRequest.usd),
    lambdaDuration: round((row.lambdaGbs ?? 0) * p.lambdaArmGbSecond.usd),
    s3Requests: round(puts * p.s3Put.usd + gets * p.s3Get.usd),
    snsPublishes: round((requests + 1) * p.snsPublish.usd),
    dynamodb: round(ledger.writes * p.dynamoWrite.usd + ledger.reads * p.dynamoRead.usd),
    logs: round(((invocations * LOG_BYTES_PER_INVOCATION + requests * ENDPOINT_LOG_BYTES_PER_REQUEST) / GB) * p.logsIngestion.usd),
  };
};

/** The items summed: the article's costUsd. */
export const totalOf = (items: Partial<CostItems>): number => round(COST_ITEMS.reduce((sum, item) => sum + (items[item] ?? 0), 0));

/** `{ costUsd, costItems }` for a finished article, or nothing when this caller has no prices wired. */
export const costOf = (settings: CostSettings | undefined, row: PricedRow, spend: Spend): { costUsd?: number; costItems?: CostItems } => {
  if (!settings) return {};
  const costItems = costItemsOf(row, spend, settings);
  return { costUsd: totalOf(costItems), costItems };
};

/** What an article has spent across its attempts: endpoint time and model requests (see articleSpend). */
export interface ArticleSpendInputs {
  /** Set on long articles only. */
  parts?: number;
  steps?: Record<string, { s?: string; ms?: number }>;
  /** Long articles count every request of every attempt; a short article's is its current attempt's. */
  requestCount?: number;
  /** Earlier attempts, each with the endpoint time the current attempt does not count again. */
  history?: { endpointMs?: number }[];
}

/**
 * Endpoint time and requests to price an article by, its earlier attempts included: a retry pays for
 * the time the failed attempt held the endpoint too. A short article adds `attemptMs` (this attempt's
 * request) and one request per earlier attempt that reached the model; a long article sums its steps,
 * whose records keep the times of the steps an earlier attempt finished and the retry reused.
 */
export const articleSpend = (row: ArticleSpendInputs, attemptMs = 0): Spend => {
  const earlier = (row.history ?? []).filter((h) => h.endpointMs !== undefined);
  const earlierMs = earlier.reduce((sum, h) => sum + (h.endpointMs ?? 0), 0);
  return row.parts !== undefined
    ? { endpointMs: stepsEndpointMs(row.steps) + earlierMs, requests: row.requestCount ?? row.parts }
    : { endpointMs: attemptMs + earlierMs, requests: 1 + earlier.length };
};

/** Nothing reached the endpoint in this attempt (a rejected article, a submission that failed): the earlier attempts' spend only. */
export const spendBeforeEndpoint = (row: ArticleSpendInputs): Spend => {
  const earlier = (row.history ?? []).filter((h) => h.endpointMs !== undefined);
  return { endpointMs: earlier.reduce((sum, h) => sum + (h.endpointMs ?? 0), 0), requests: earlier.length };
};

/** The endpoint time an ended attempt spent that its retry will not count again (AttemptRecord.endpointMs). */
export const attemptOnlyMs = (row: ArticleSpendInputs & { endpointMs?: number }): number | undefined => {
  if (row.parts === undefined) return row.endpointMs;
  const resent = Object.values(row.steps ?? {}).filter((step) => step.s !== 'done' && step.ms !== undefined);
  return resent.length > 0 ? resent.reduce((sum, step) => sum + (step.ms ?? 0), 0) : undefined;
};

/** The sum of a long article's step times in the endpoint. */
export const stepsEndpointMs = (steps: Record<string, { ms?: number }> | undefined): number =>
  Object.values(steps ?? {}).reduce((sum, step) => sum + (step.ms ?? 0), 0);

/** The batch's true instance cost: every instance-second billed, idle and provisioning included. */
export const instanceCostUsd = (instanceSeconds: number, instancePricePerHour: number): number =>
  round(instanceSeconds * (instancePricePerHour / 3600));
