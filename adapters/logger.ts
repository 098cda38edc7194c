import { Logger } from '@aws-lambda-powertools/logger';

/** The one structured logger; service name and level come from POWERTOOLS_* variables. */
export const makeLogger = (): Logger => new Logger();
