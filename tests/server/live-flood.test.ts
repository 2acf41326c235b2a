// A flood on GET /api/live: a socket that sends more than a heartbeat is closed with a code
// that says why, while the other sockets of the event keep receiving every change and the
// server keeps answering. Each test listens on a real port and connects like a page would.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { LiveClient, type LiveMessage } from '../helpers/live.ts';

const MB = 1 << 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bodyOf = (m: LiveMessage) => (m.data as { body?: string } | undefined)?.body;

/** Waits until `done()` holds, checking every 20 ms, or fails after `timeoutMs`. */
async function eventually(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** A masked text frame, as a client must send one. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 65_536) throw new Error('a longer frame needs a 64-bit length');
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]);
}

/**
 * A client written against TCP itself: it upgrades like a browser, then sends whatever it
 * likes and never answers the server's close, as no browser would.
 */
async function rudeClient(base: string, as: Session, eventId: string) {
  const { port } = new URL(base);
  const socket = net.connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    [
      `GET /api/live?event=${eventId} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Origin: ${base}`,
      `Authorization: ${as.headers.authorization}`,
      '',
      '',
    ].join('\r\n'),
  );
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  // Not events.once: it rejects on the 'error' (ECONNRESET) that precedes a reset's close.
  const ended = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  socket.on('error', () => {});
  await eventually(() => received.includes('\r\n\r\n')).catch(() => {
    throw new Error('no answer: ' + received.toString());
  });
  const head = received.subarray(0, received.indexOf('\r\n\r\n')).toString();
  received = received.subarray(received.indexOf('\r\n\r\n') + 4);
  return {
    head,
    socket,
    ended,
    /** The code of the server's close frame, once one came. */
    closeCode: () => closeCodeIn(received),
  };
}

/** Walks the server's frames (unmasked) to its close frame (opcode 8), if it came. */
function closeCodeIn(bytes: Buffer): number | null {
  for (let at = 0; at + 2 <= bytes.length;) {
    let length = bytes[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) [length, start] = [bytes.readUInt16BE(at + 2), at + 4];
    else if (length === 127) [length, start] = [Number(bytes.readBigUInt64BE(at + 2)), at + 10];
    if ((bytes[at]! & 0x0f) === 8)
      return start + 2 <= bytes.length ? bytes.readUInt16BE(start) : null;
    at = start + length;
  }
  return null;
}

describe.each(databaseKinds)('a flood on the live socket on %s', (kind) => {
  const t = useTestApp(kind);
  let base = '';
  beforeAll(async () => {
    base = await t().app.listen({ port: 0, host: '127.0.0.1' });
  });

  /** Opens a socket and waits until the hub has it, replayed and live. */
  async function connect(app: TestApp, as: Session, eventId: string): Promise<LiveClient> {
    const joined = () => app.app.live.members().filter((m) => m.backlog === null).length;
    const before = joined();
    const client = await LiveClient.connect(base, { origin: base, eventId, token: as.token });
    await eventually(() => joined() > before || client.closed !== null);
    return client;
  }

  it('closes 1 MB frames with 1009 and 100 messages a second with 1008, while a page on the same event gets every change', async () => {
    const app = t();
    const { admin, event, volunteerA } = await app.newMarch();
    const page = await connect(app, volunteerA, event.id);
    const big = await connect(app, admin, event.id);
    const pings = await connect(app, admin, event.id);
    const junk = await connect(app, admin, event.id);
    const frames = await connect(app, admin, event.id);

    big.send('x'.repeat(MB));
    const flood = setInterval(() => {
      if (!pings.closed) pings.send(JSON.stringify({ type: 'ping' }));
      if (!junk.closed) junk.send(JSON.stringify({ type: 'subscribe', event: '*' }));
      // Protocol-level pings, which ws would answer by itself: they count too.
      if (!frames.closed) frames.socket.ping();
    }, 10);
    try {
      for (let i = 0; i < 20; i++) {
        await app.send(admin, 'POST', `/api/events/${event.id}/announcements`, {
          target: 'event',
          body: `Hold the line ${i}`,
        });
        await sleep(50);
      }
    } finally {
      clearInterval(flood);
    }

    expect((await big.closing()).code).toBe(1009);
    expect(await pings.closing()).toEqual({ code: 1008, reason: 'too many messages' });
    expect(pings.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(10);
    expect((await junk.closing()).code).toBe(1008);
    expect(await frames.closing()).toEqual({ code: 1008, reason: 'too many messages' });
    await page.until((m) => m.filter(bodyOf).length === 20);
    expect(page.messages.map(bodyOf)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Hold the line ${i}`),
    );
    expect(page.closed).toBeNull();
    await eventually(() => app.app.live.memberCount === 1);

    // The server answers as before, over the network.
    const started = Date.now();
    const res = await fetch(`${base}/api/events/${event.id}`, { headers: admin.headers });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    page.close();
  });

  it('cuts off within 5 s a client that keeps sending after its close, and keeps serving', async () => {
    const app = t();
    const { admin, event, volunteerA } = await app.newMarch();
    const page = await connect(app, volunteerA, event.id);
    const rude = await rudeClient(base, admin, event.id);
    expect(rude.head).toMatch(/^HTTP\/1\.1 101/);

    const junk = textFrame(JSON.stringify({ type: 'subscribe', pad: 'x'.repeat(1000) }));
    const startedAt = Date.now();
    const flood = setInterval(() => rude.socket.write(junk), 10);
    try {
      await app.send(admin, 'POST', `/api/events/${event.id}/announcements`, {
        target: 'event',
        body: 'Still here',
      });
      await page.until((m) => m.some((x) => bodyOf(x) === 'Still here'));
      const endedAt = await Promise.race([rude.ended, sleep(10_000).then(() => null)]);
      expect(rude.closeCode()).toBe(1008);
      // ws would otherwise read it for 30 s waiting for the close handshake.
      expect(endedAt, 'the server did not drop the connection').not.toBeNull();
      expect(endedAt! - startedAt).toBeLessThan(5000 + 1500);
    } finally {
      clearInterval(flood);
      rude.socket.destroy();
    }
    expect(page.closed).toBeNull();
    await eventually(() => app.app.live.memberCount === 1);
    page.close();
  });
});
