/**
 * What a Query on a ledger index that is not there yet means, in words an operator can act on. While a
 * deployed stage is upgraded one index per deploy (docs/aws.md "Upgrading"), an index can be missing
 * between two deploys, or be CREATING while DynamoDB backfills it from the table; DynamoDB then answers
 * a Query with a ValidationException ("Cannot read from backfilling global secondary index", as
 * aws-cloudformation/cloudformation-coverage-roadmap#1075 records it, or "The table does not have the
 * specified index").
 */

export class LedgerIndexNotReadyError extends Error {
  override readonly name = 'LedgerIndexNotReadyError';
  constructor(
    readonly index: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The client's region when it has one configured, for the command in the message. */
interface WithRegion {
  config: { region?: string | (() => Promise<string>) };
}

const regionOf = async (db: WithRegion): Promise<string | undefined> => {
  try {
    const region = db.config.region;
    return typeof region === 'function' ? await region() : region;
  } catch {
    return undefined;
  }
};

/**
 * `error` as a LedgerIndexNotReadyError when it says the index is backfilling or absent; any other
 * error as it is. The caller throws the result.
 */
export const indexNotReady = async (error: unknown, db: WithRegion, table: string, index: string): Promise<unknown> => {
  const message = (error as Error)?.message ?? '';
  if ((error as Error)?.name !== 'ValidationException') return error;
  const backfilling = /backfilling global secondary index/i.test(message);
  const absent = /does not have the specified index/i.test(message);
  if (!backfilling && !absent) return error;
  const region = await regionOf(db);
  const status =
    `aws dynamodb describe-table --table-name ${table}${region ? ` --region ${region}` : ''} ` +
    `--query "Table.GlobalSecondaryIndexes[].[IndexName,IndexStatus,Backfilling]" --output table`;
  const state = backfilling
    ? `is still being built: DynamoDB is reading every row into it (backfilling), and it can be read once its status is ACTIVE`
    : `is not on the table: an upgrade removes it in one deploy and adds it back in the next (docs/aws.md "Upgrading")`;
  return new LedgerIndexNotReadyError(index, `the ledger's ${index} index ${state}. See where it stands: ${status}`, { cause: error });
};
