// One user action in flight: whether it is busy and, if it failed, the message to show.
import { ApiError } from '../api.ts';
import { en } from '../i18n/en.ts';
import { type MessageKey, t } from '../i18n/index.svelte.ts';

/** A refusal the server names (e.g. slot_full) in the reader's language, else its detail. */
function explain(error: ApiError): string {
  const key = `problem.${error.reason}`;
  return error.reason && key in en ? t(key as MessageKey, error.params) : error.detail;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.unreachable ? t('error.network') : explain(error);
  console.error(error);
  return t('error.unexpected');
}

export class Task {
  #busy = $state(false);
  #error = $state<string | null>(null);

  get busy(): boolean {
    return this.#busy;
  }

  get error(): string | null {
    return this.#error;
  }

  fail(message: string): void {
    this.#error = message;
  }

  clear(): void {
    this.#error = null;
  }

  /** Runs `action` unless one is already running; true when it succeeded. */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = true;
    this.#error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.#error = messageOf(error);
      return false;
    } finally {
      this.#busy = false;
    }
  }
}
