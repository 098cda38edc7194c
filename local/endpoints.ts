import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from './template/stack-config';
import type { Endpoints } from './types';

/** The names people and the operator CLI need, from the edge's URL and the template. */
export const endpointsOf = (edgeUrl: string, config: StackConfig): Endpoints => ({
  edgeUrl,
  region: config.region,
  bucket: config.bucket,
  inputPrefix: config.inputPrefix,
  table: config.table.TableName,
  endpointName: config.endpoint.endpointName,
});

/** Writes `<stateDir>/endpoints.json`, which `npm run drop` / `results` read to find the local cloud. */
export const writeEndpoints = (stateDir: string, endpoints: Endpoints): Endpoints => {
  writeFileSync(join(stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
  return endpoints;
};
