// Builds the web app once, before any test file starts a server that serves it.
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from '../server/web-build.ts';

export default async function setup() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await buildWebIfStale(root, (line) => console.log(line));
}
