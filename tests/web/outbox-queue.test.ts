// The outbox's queue without a browser: actions kept in order in the phone's storage, each with
// its idempotency key, sent oldest first; an answer given for certain takes one off the queue,
// and a failure after which the server may or may not have applied it keeps it, key and all.
import { describe, expect, it } from 'vitest';
import {
  type KeyValueStore,
  type Queued,
  sendInOrder,
  type Settlement,
  StoredQueue,
} from '../../web/src/lib/offline/queue.ts';

type Action = { kind: 'claim'; slotId: string } | { kind: 'check-in' };

/** localStorage as a Map. */
function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => void items.set(name, value),
    removeItem: (name) => void items.delete(name),
  };
}

let keys = 0;
const entry = (action: Action): Queued<Action> => ({
  key: `key-${++keys}`,
  action,
  what: '',
  queuedAt: '2027-05-01T16:30:00.000Z',
});

/** A failure as the API client throws it: status 0 when there was no answer. */
const failure = (status: number) => Object.assign(new Error(`status ${status}`), { status });
const tryAgainAfter = (error: unknown) => {
  const { status } = error as { status: number };
  return status === 0 || status >= 500;
};

describe('the outbox queue', () => {
  it('keeps actions in the order they were taken, across page loads', () => {
    const store = memoryStore();
    const claim = entry({ kind: 'claim', slotId: 'marshal' });
    const here = entry({ kind: 'check-in' });
    const queue = new StoredQueue<Action>(store, 'muster.outbox.p.e');
    queue.add(claim);
    queue.add(here);
    expect(new StoredQueue<Action>(store, 'muster.outbox.p.e').read()).toEqual([claim, here]);
    expect(new StoredQueue<Action>(store, 'muster.outbox.p.other').read()).toEqual([]);
  });

  it('adds an action once, however often it is queued with the same key', () => {
    const queue = new StoredQueue<Action>(memoryStore(), 'q');
    const here = entry({ kind: 'check-in' });
    queue.add(here);
    queue.add(here);
    expect(queue.read()).toEqual([here]);
  });

  it('reads storage that is not a queue as an empty one', () => {
    const store = memoryStore();
    store.setItem('q', '{not json');
    expect(new StoredQueue<Action>(store, 'q').read()).toEqual([]);
    store.setItem('q', '{"key":"x"}');
    expect(new StoredQueue<Action>(store, 'q').read()).toEqual([]);
  });

  it('sends oldest first with each key, and empties the queue and its storage', async () => {
    const store = memoryStore();
    const queue = new StoredQueue<Action>(store, 'q');
    const first = entry({ kind: 'claim', slotId: 'marshal' });
    const second = entry({ kind: 'check-in' });
    queue.add(first);
    queue.add(second);
    const sent: string[] = [];
    const settled: Settlement<Action>[] = [];
    const empty = await sendInOrder(
      queue,
      async (e) => {
        sent.push(e.key);
        return { answered: e.key };
      },
      tryAgainAfter,
      (s) => settled.push(s),
    );
    expect(empty).toBe(true);
    expect(sent).toEqual([first.key, second.key]);
    expect(settled).toEqual([
      { entry: first, sent: true, answer: { answered: first.key } },
      { entry: second, sent: true, answer: { answered: second.key } },
    ]);
    expect(queue.read()).toEqual([]);
    expect(store.items.size).toBe(0);
  });

  it('stops at an action that got no answer, and sends it next time with the same key', async () => {
    const queue = new StoredQueue<Action>(memoryStore(), 'q');
    const first = entry({ kind: 'check-in' });
    const second = entry({ kind: 'claim', slotId: 'marshal' });
    queue.add(first);
    queue.add(second);
    const sent: string[] = [];
    for (const status of [0, 503]) {
      const empty = await sendInOrder(
        queue,
        async (e) => {
          sent.push(e.key);
          throw failure(status);
        },
        tryAgainAfter,
        () => expect.unreachable('nothing is settled'),
      );
      expect(empty).toBe(false);
      expect(queue.read()).toEqual([first, second]);
    }
    await sendInOrder(
      queue,
      async (e) => sent.push(e.key),
      tryAgainAfter,
      () => undefined,
    );
    expect(sent).toEqual([first.key, first.key, first.key, second.key]);
    expect(queue.read()).toEqual([]);
  });

  it('reports a refusal, takes it off the queue and goes on with the next', async () => {
    const queue = new StoredQueue<Action>(memoryStore(), 'q');
    const full = entry({ kind: 'claim', slotId: 'banner' });
    const here = entry({ kind: 'check-in' });
    queue.add(full);
    queue.add(here);
    const refusal = failure(409);
    const settled: Settlement<Action>[] = [];
    const empty = await sendInOrder(
      queue,
      async (e) => {
        if (e.key === full.key) throw refusal;
        return 'ok';
      },
      tryAgainAfter,
      (s) => settled.push(s),
    );
    expect(empty).toBe(true);
    expect(settled).toEqual([
      { entry: full, sent: false, error: refusal },
      { entry: here, sent: true, answer: 'ok' },
    ]);
  });

  it('sends an action queued while a round is under way in the same round', async () => {
    const queue = new StoredQueue<Action>(memoryStore(), 'q');
    const first = entry({ kind: 'check-in' });
    const later = entry({ kind: 'claim', slotId: 'marshal' });
    queue.add(first);
    const sent: string[] = [];
    await sendInOrder(
      queue,
      async (e) => {
        if (e.key === first.key) queue.add(later);
        sent.push(e.key);
      },
      tryAgainAfter,
      () => undefined,
    );
    expect(sent).toEqual([first.key, later.key]);
  });
});
