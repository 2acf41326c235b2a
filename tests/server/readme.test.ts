// The README documents the live protocol with its TypeBox schema; this keeps the copy true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('README', () => {
  it('shows the live protocol’s schema exactly as server/live/protocol.ts defines it', () => {
    const section = read('README.md').split('## Live updates')[1] ?? '';
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'a ```ts block under "Live updates"').toBeTruthy();
    const protocol = squeeze(read('server/live/protocol.ts'));
    for (const definition of block!.split(/\n\n+/)) {
      expect(protocol).toContain(squeeze(definition));
    }
  });
});
