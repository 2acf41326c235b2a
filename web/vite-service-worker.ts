// Builds the service worker (src/sw.ts) into dist/sw.js: a fixed name, so the browser finds the
// new worker at the same address after a deploy. The worker imports nothing, so it needs no
// bundling: its types are stripped and it is minified on its own, then given the list of files
// to keep for offline use and a version that changes whenever one of them does.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { minify, type Plugin, type Rolldown, transformWithOxc } from 'vite';

type Chunk = Rolldown.OutputChunk;

/**
 * The shell and what `pages` need offline: the entry's code and styles, and each page's chunk
 * with everything it imports, statically or on demand (a leader's tools, the map) — but not the
 * other pages the entry can route to.
 */
export function precacheList(bundle: Rolldown.OutputBundle, pages: string[]): string[] {
  const chunks = Object.values(bundle).filter((file): file is Chunk => file.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const styles = Object.keys(bundle).filter((name) => name.endsWith('.css'));
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (chunk: Chunk | undefined, onDemand: boolean) => {
    if (!chunk || seen.has(`${chunk.fileName}:${onDemand}`)) return;
    seen.add(`${chunk.fileName}:${onDemand}`);
    files.add(chunk.fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
    for (const name of chunk.imports) visit(byName.get(name), onDemand);
    if (!onDemand || chunk.isEntry) return;
    for (const name of chunk.dynamicImports) visit(byName.get(name), true);
    // Vite drops a chunk that was only styles (Leaflet's); its importer's code names the file.
    for (const css of styles) if (chunk.code.includes(css)) files.add(css);
  };
  for (const chunk of chunks) {
    if (chunk.isEntry) visit(chunk, false);
    if (pages.some((page) => chunk.facadeModuleId?.endsWith(page))) visit(chunk, true);
  }
  return ['/index.html', ...[...files].sort().map((file) => `/${file}`)];
}

function source(file: Rolldown.OutputAsset | Chunk): string | Uint8Array {
  return file.type === 'chunk' ? file.code : file.source;
}

/** A hash of the kept files' names and contents: the name of the cache they go in. */
function versionOf(bundle: Rolldown.OutputBundle, precache: string[]): string {
  const hash = createHash('sha256');
  for (const url of precache) {
    const file = bundle[url.slice(1)];
    if (!file) throw new Error(`The service worker would keep ${url}, which is not built.`);
    hash.update(url).update(source(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The worker as one minified classic script, with its list and version defined in it. */
async function workerScript(entry: string, precache: string[], version: string): Promise<string> {
  const { code } = await transformWithOxc(await readFile(entry, 'utf8'), entry, {
    target: 'es2022',
  });
  // `export {}` makes the file a module for the type checker; the worker is a classic script.
  const script = code.replace(/^export \{\};?\s*$/m, '');
  if (/^\s*(import|export)\b/m.test(script)) {
    throw new Error(`${entry} must import and export nothing: it runs as one classic script.`);
  }
  const defined =
    `const PRECACHE = ${JSON.stringify(precache)};\n` +
    `const VERSION = ${JSON.stringify(version)};\n`;
  const minified = await minify('sw.js', `(() => {\n${defined}${script}})();\n`, {
    compress: { target: 'es2022' },
    mangle: true,
  });
  if (minified.errors[0]) throw new Error(minified.errors[0].message);
  return minified.code;
}

export function serviceWorker(options: { entry: string; pages: string[] }): Plugin {
  return {
    name: 'muster:service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      // After Vite has put index.html in the bundle, and into each chunk's code the names of
      // the files it loads on demand: the list and the version read both.
      order: 'post',
      async handler(_options, bundle) {
        const precache = precacheList(bundle, options.pages);
        const version = versionOf(bundle, precache);
        const script = await workerScript(options.entry, precache, version);
        this.emitFile({ type: 'asset', fileName: 'sw.js', source: script });
      },
    },
  };
}
