// What both benchmarks need to drive the server over loopback HTTP: a timing client and
// bounded concurrency for setup.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Reply {
  /** 0 when the request failed without an HTTP answer (reset, timeout). */
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/** A keep-alive HTTP client to the server under test, timing each request. */
export class BenchClient {
  readonly agent: http.Agent;
  constructor(
    readonly port: number,
    /** Sockets it may open: one per simultaneous request, so none queues client-side. */
    maxSockets: number,
    /** Far above any expected latency: a request cut short could still commit, unseen. */
    private readonly timeoutMs: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  send(
    method: string,
    path: string,
    options: { token?: string; key?: string; json?: object } = {},
  ): Promise<Reply> {
    const payload = options.json ? JSON.stringify(options.json) : undefined;
    const headers: http.OutgoingHttpHeaders = {};
    if (payload) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['idempotency-key'] = options.key;
    const started = performance.now();
    const done = (status: number, body: string, replyHeaders: http.IncomingHttpHeaders = {}) => ({
      status,
      body,
      headers: replyHeaders,
      ms: performance.now() - started,
    });
    return new Promise((resolve) => {
      const request = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(done(response.statusCode ?? 0, body, response.headers)));
          response.on('error', (error) => resolve(done(0, String(error))));
        },
      );
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error('timed out')));
      request.on('error', (error) => resolve(done(0, String(error))));
      request.end(payload);
    });
  }

  /** A request that must succeed during setup. */
  async expect<T>(status: number, method: string, path: string, options = {}): Promise<T> {
    const reply = await this.send(method, path, options);
    if (reply.status !== status) {
      throw new Error(`${method} ${path}: ${reply.status} ${reply.body}`);
    }
    return JSON.parse(reply.body) as T;
  }

  /** Joins through an invite link and returns the session token. */
  async join(token: string, displayName: string): Promise<string> {
    const reply = await this.send('POST', '/api/join', { json: { token, displayName } });
    const cookie = [reply.headers['set-cookie'] ?? []]
      .flat()
      .find((c) => c.startsWith('muster_session='));
    if (reply.status !== 200 || !cookie) throw new Error(`join: ${reply.status} ${reply.body}`);
    return cookie.slice('muster_session='.length).split(';')[0]!;
  }
}

export /** Runs `task` for each item with at most `limit` in flight; results in input order. */
async function inBatches<T, R>(
  items: T[],
  limit: number,
  task: (item: T, i: number) => Promise<R>,
) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
