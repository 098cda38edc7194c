/**
 * The endpoint's desired instance count, kept in the state folder (capacity.json), so a restarted
 * local cloud resumes at the capacity it had instead of its initial count.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CAPACITY_FILE = 'capacity.json';

export const readSavedCapacity = (stateDir: string): number | undefined => {
  try {
    const saved = JSON.parse(readFileSync(join(stateDir, CAPACITY_FILE), 'utf-8')) as { desiredInstanceCount?: unknown };
    return typeof saved.desiredInstanceCount === 'number' ? saved.desiredInstanceCount : undefined;
  } catch {
    return undefined;
  }
};

export const saveCapacity = (stateDir: string, capacity: number): void => {
  writeFileSync(join(stateDir, CAPACITY_FILE), `${JSON.stringify({ desiredInstanceCount: capacity })}\n`);
};
