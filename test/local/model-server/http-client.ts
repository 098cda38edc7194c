import { request, type IncomingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request on a fresh connection, with exactly the headers given (fetch would add its own Accept
 * and others, and pooled keep-alive sockets would outlive the server under test).
 */
export const call = (url: string, { method = 'GET', headers = {}, body }: CallOptions = {}): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });

/** POST /invocations with a JSON body, as the SageMaker platform forwards an application/json request. */
export const invoke = (
  baseUrl: string,
  payload: unknown,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
): Promise<Reply> =>
  call(`${baseUrl}/invocations`, { method: 'POST', headers, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });

export const summariesOf = (reply: Reply): string[] => (JSON.parse(reply.body) as { summary_text: string }[]).map((r) => r.summary_text);
