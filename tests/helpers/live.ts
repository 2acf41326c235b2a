// A live-socket client for tests: connects to /api/live like a page would and collects
// what arrives, so a test can wait for messages and look at all of them in order.
import WebSocket from 'ws';

export interface LiveMessage {
  seq?: number;
  type: string;
  eventId?: string;
  data?: unknown;
}

export interface LiveClientOptions {
  /** The page's origin; omitted, the request carries no Origin header. */
  origin?: string;
  eventId: string;
  since?: number;
  /** The session token; omitted, the request is anonymous. */
  token?: string;
  /** Send the token as the session cookie, as a page does, instead of a bearer header. */
  asCookie?: boolean;
}

export class LiveClient {
  readonly messages: LiveMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  /** When the close arrived (Date.now()), to measure how fast the server closed it. */
  closedAt: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as LiveMessage);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.closedAt = Date.now();
      this.wake();
    });
  }

  /** Opens a socket to `baseUrl` (http://host:port); rejects with the HTTP status if refused. */
  static connect(baseUrl: string, options: LiveClientOptions): Promise<LiveClient> {
    const query = new URLSearchParams({ event: options.eventId });
    if (options.since !== undefined) query.set('since', String(options.since));
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/live?${query}`;
    const headers: Record<string, string> = {};
    if (options.token && options.asCookie) headers.cookie = `muster_session=${options.token}`;
    else if (options.token) headers.authorization = `Bearer ${options.token}`;
    const socket = new WebSocket(url, {
      ...(options.origin ? { origin: options.origin } : {}),
      headers,
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new LiveClient(socket)));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`refused: ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits until `done(messages)` holds, or fails after `timeoutMs`. */
  async until(done: (messages: LiveMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out; got ${JSON.stringify(this.messages.map((m) => [m.seq, m.type]))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the socket to close and returns its code and reason. */
  async closing(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  /** Sends a raw frame, as a misbehaving client would. */
  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Stops reading from the network, like a phone that froze; `resume` reads again. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  seqs(): number[] {
    return this.messages.filter((m) => m.seq !== undefined).map((m) => m.seq!);
  }

  close(): void {
    this.socket.close();
  }
}
