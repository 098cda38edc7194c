/**
 * Launches one endpoint instance: a separate model-server process (dist/local/model-server.js,
 * bundled from local/model-server/main.ts) that honours the SageMaker container contract. Its exit is
 * reported (`exited`), so the endpoint's fleet replaces an instance whose process died
 * (sagemaker-async/instances.ts supervises them).
 */

import type { ModelInstance } from '../sagemaker-async/types';
import { startChild } from '../support/child-process';
import { SUBMIT_ARTICLE_FUNCTION, type StackConfig } from '../template/stack-config';

export interface ModelProcessOptions {
  bundle: string;
  /** Extra flags for the model server, e.g. ['--mode', 'fixed', '--latency-ms', '100']. */
  args: string[];
  onExit?: (instanceId: string, code: number | null) => void;
}

export const launchModelProcess =
  (options: ModelProcessOptions) =>
  async (instanceId: string): Promise<ModelInstance> => {
    const { child, firstLine, exited } = await startChild([options.bundle, '--port', '0', ...options.args], {
      description: `model server ${instanceId}`,
      env: { PATH: process.env.PATH ?? '', INSTANCE_ID: instanceId },
      onExit: (code) => options.onExit?.(instanceId, code),
    });
    let port: number;
    try {
      port = (JSON.parse(firstLine) as { port: number }).port;
    } catch {
      child.kill('SIGKILL');
      throw new Error(`model server ${instanceId} said ${JSON.stringify(firstLine)} instead of its port`);
    }
    return {
      url: `http://127.0.0.1:${port}`,
      ...(child.pid !== undefined ? { pid: child.pid } : {}),
      exited: exited.then((code) => ({ code, signal: child.signalCode })),
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SageMaker stops a container with SIGTERM, then SIGKILL 30 s later.
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(killer);
      },
    };
  };

/**
 * The local model reads as many tokens as the stack says the deployed model reads (the maxInputTokens
 * parameter the functions split by), unless the caller set it: the local cloud truncates where AWS would.
 */
export const modelArgs = (config: StackConfig, args: string[] = []): string[] => {
  const limit = config.functions[SUBMIT_ARTICLE_FUNCTION]?.environment.MAX_INPUT_TOKENS;
  return limit && !args.includes('--max-input-tokens') ? ['--max-input-tokens', limit, ...args] : args;
};
