import { chmodSync, mkdirSync } from 'node:fs';

/** Creates a folder only this user can enter (the local cloud's state holds every article, the ledger and the logs). */
export const privateFolder = (path: string): string => {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
  return path;
};
