// One live connection per page: a WebSocket to /api/live that resumes from the last change it
// saw, reconnects with backoff when the crowd's network drops it, and hands every change to the
// page's state classes, so what a page shows follows the server without polling.
import type { ChangeMessage, CloseCode, ServerMessage } from '../../../server/live/protocol.ts';
import { api, ApiError } from './api.ts';
import { retryDelay } from './backoff.ts';
import { connectivity } from './offline/connectivity.svelte.ts';

export type { ChangeMessage };

/** A state class the live connection feeds. */
export interface LiveListener {
  /** Takes one change; ignores the types it does not hold. */
  apply(message: ChangeMessage): void;
  /** Reads its data (again, on a resync: the changes it missed are no longer kept). */
  load(): Promise<unknown>;
}

/**
 * `connecting` before the first connection; `reconnecting` for the first seconds after losing
 * one; `offline` when the browser says so or no connection came back for a few seconds;
 * `ended` when the session ended (the page then shows the signed-out welcome).
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'ended';

const SESSION_ENDED: (typeof CloseCode)['sessionEnded'] = 4001;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
/** A lost connection counts as offline once it has not come back for this long. */
export const OFFLINE_AFTER_MS = 5_000;

function isChange(message: ServerMessage): message is ChangeMessage {
  return 'seq' in message && message.type !== 'resync';
}

function liveUrl(eventId: string, since: number): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ event: eventId, since: String(since) });
  return `${scheme}://${location.host}/api/live?${query}`;
}

export class LiveConnection {
  #state = $state<LiveState>('connecting');
  /** When the connection was lost (or first tried), while it is not live. */
  #lostAt = $state<number | null>(null);
  #socket: WebSocket | null = null;
  #lastSeq = 0;
  #attempt = 0;
  #running = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #offlineTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly eventId: string,
    private readonly listeners: LiveListener[],
    private readonly onSessionEnded: () => void,
  ) {}

  get state(): LiveState {
    return this.#state;
  }

  /** While offline: since when (ms since the epoch) no connection has been working. */
  get offlineSince(): number | null {
    return this.#state === 'offline' ? this.#lostAt : null;
  }

  /** Connects, asking for every change after `since` (the loaded plan's lastSeq). Once. */
  start(since: number): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastSeq = since;
    this.#lost();
    window.addEventListener('online', this.#online);
    window.addEventListener('offline', this.#offline);
    document.addEventListener('visibilitychange', this.#visible);
    if (navigator.onLine) this.#connect();
  }

  /** Feeds one more state class from now on (a part of the page that loads later). */
  listen(listener: LiveListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  stop(): void {
    this.#running = false;
    window.removeEventListener('online', this.#online);
    window.removeEventListener('offline', this.#offline);
    document.removeEventListener('visibilitychange', this.#visible);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#offlineTimer);
    this.#drop(1000);
  }

  #connect(): void {
    clearTimeout(this.#retryTimer);
    this.#drop(1000);
    let socket: WebSocket;
    try {
      socket = new WebSocket(liveUrl(this.eventId, this.#lastSeq));
    } catch {
      this.#retry(false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#opened();
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#stopHeartbeat();
      if (event.code === SESSION_ENDED) this.#ended();
      else this.#retry(opened);
    };
  }

  #opened(): void {
    clearTimeout(this.#offlineTimer);
    this.#state = 'live';
    this.#lostAt = null;
    connectivity.reached();
    this.#pingTimer = setInterval(() => this.#ping(), PING_EVERY_MS);
  }

  #receive(text: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(text)) as ServerMessage;
    } catch {
      return;
    }
    if (isChange(message)) {
      if (message.seq <= this.#lastSeq) return;
      this.#lastSeq = message.seq;
      this.#attempt = 0;
      for (const listener of this.listeners) listener.apply(message);
    } else if (message.type === 'pong') {
      clearTimeout(this.#pongTimer);
      this.#pongTimer = undefined;
      this.#attempt = 0;
    } else if (message.type === 'resync') {
      void this.#resync(message.seq);
    }
  }

  /** The changes since our last seq are gone: read everything again, keep the socket. */
  async #resync(seq: number): Promise<void> {
    const from = this.#lastSeq;
    this.#lastSeq = Math.max(this.#lastSeq, seq);
    try {
      await Promise.all(this.listeners.map((listener) => listener.load()));
    } catch {
      // Not read again: resume from where we were, so the server sends resync once more.
      this.#lastSeq = from;
      this.#drop(1000);
      this.#retry(true);
    }
  }

  #ping(): void {
    if (this.#socket?.readyState !== WebSocket.OPEN || this.#pongTimer !== undefined) return;
    this.#socket.send(JSON.stringify({ type: 'ping' }));
    // No answer in time: the connection is dead even if the browser has not noticed.
    this.#pongTimer = setTimeout(() => {
      this.#pongTimer = undefined;
      this.#drop(1000);
      this.#retry(true);
    }, PONG_WITHIN_MS);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  /** Forgets the current socket without waiting for its close handshake. */
  #drop(code: number): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#stopHeartbeat();
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState <= WebSocket.OPEN) socket.close(code);
  }

  #lost(): void {
    if (this.#lostAt === null) this.#lostAt = Date.now();
    if (this.#state === 'live') this.#state = 'reconnecting';
    if (!navigator.onLine) this.#state = 'offline';
    clearTimeout(this.#offlineTimer);
    const left = this.#lostAt + OFFLINE_AFTER_MS - Date.now();
    this.#offlineTimer = setTimeout(() => {
      if (this.#running && this.#state !== 'live') this.#state = 'offline';
    }, left);
  }

  #retry(opened: boolean): void {
    if (!this.#running) return;
    this.#lost();
    // Refused before opening: perhaps the session ended while we were away.
    if (!opened) void this.#checkSession();
    clearTimeout(this.#retryTimer);
    // Offline for certain (onLine false is reliable; true is not): the online event calls.
    const next = () => (navigator.onLine ? this.#connect() : this.#retry(true));
    this.#retryTimer = setTimeout(next, retryDelay(this.#attempt));
    this.#attempt += 1;
  }

  async #checkSession(): Promise<void> {
    try {
      await api.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && this.#running) this.#ended();
    }
  }

  #ended(): void {
    this.stop();
    this.#state = 'ended';
    this.onSessionEnded();
  }

  #online = (): void => {
    if (!this.#running || this.#state === 'live') return;
    this.#attempt = 0;
    this.#connect();
  };

  /** The browser knows the network is gone: the socket is dead whether or not it says so. */
  #offline = (): void => {
    if (!this.#running) return;
    this.#drop(1000);
    this.#retry(true);
  };

  /** Back on screen: a phone may have slept through the connection's end, so check now. */
  #visible = (): void => {
    if (!this.#running || document.visibilityState !== 'visible') return;
    if (this.#state === 'live') this.#ping();
    else this.#online();
  };
}
