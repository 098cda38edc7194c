/**
 * Launches one endpoint instance: a separate model-server process (dist/local/model-server.js,
 * bundled from local/model-server/main.ts) that honours the SageMaker container contract.
 */

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ModelInstance } from '../sagemaker-async';

export interface ModelProcessOptions {
  bundle: string;
  /** Extra flags for the model server, e.g. ['--mode', 'fixed', '--latency-ms', '100']. */
  args: string[];
  onExit?: (instanceId: string, code: number | null) => void;
}

const LISTEN_TIMEOUT_MS = 30_000;

export const launchModelProcess =
  (options: ModelProcessOptions) =>
  (instanceId: string): Promise<ModelInstance> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [options.bundle, '--port', '0', ...options.args], {
        // The IPC channel only tells the child when this process is gone (see model-server/main.ts).
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
        env: { PATH: process.env.PATH ?? '', INSTANCE_ID: instanceId },
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`model server ${instanceId} did not start within ${LISTEN_TIMEOUT_MS} ms`));
      }, LISTEN_TIMEOUT_MS);
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        options.onExit?.(instanceId, code);
        reject(new Error(`model server ${instanceId} exited with ${code} before listening`));
      });
      const stdout = child.stdout as NodeJS.ReadableStream & { resume(): void };
      const lines = createInterface({ input: stdout });
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        stdout.resume();
        let port: number;
        try {
          port = (JSON.parse(line) as { port: number }).port;
        } catch {
          child.kill('SIGKILL');
          reject(new Error(`model server ${instanceId} said ${JSON.stringify(line)} instead of its port`));
          return;
        }
        resolve({
          url: `http://127.0.0.1:${port}`,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            // SageMaker stops a container with SIGTERM, then SIGKILL 30 s later.
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
            await exited;
            clearTimeout(killer);
          },
        });
      });
    });
