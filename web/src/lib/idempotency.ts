// Keys for writes that must happen once. An action retried after no answer (a dropped
// connection, a server error) reuses its key, so the server applies it at most once; the
// key is dropped once the server has answered for certain, so the next action gets a new one.
import { ApiError } from './api.ts';

/** A random UUID; crypto.randomUUID exists only on https and localhost, not on a LAN address. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The server may or may not have applied a request that got no answer, or a 5xx. */
export function answeredForCertain(error: unknown): boolean {
  return error instanceof ApiError && !error.unreachable && error.status < 500;
}

export class IdempotencyKeys {
  #pending = new Map<string, string>();

  /** Sends `action` with its key: the one it had if it is being retried, else a new one. */
  async send<T>(action: string, request: (key: string) => Promise<T>): Promise<T> {
    let key = this.#pending.get(action);
    if (!key) {
      key = newIdempotencyKey();
      this.#pending.set(action, key);
    }
    try {
      const result = await request(key);
      this.#pending.delete(action);
      return result;
    } catch (error) {
      if (answeredForCertain(error)) this.#pending.delete(action);
      throw error;
    }
  }
}
