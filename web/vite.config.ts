import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { serviceWorker } from './vite-service-worker.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// A build is always a production build, even when started from a process whose NODE_ENV
// says otherwise (the test runner sets NODE_ENV=test, which would make Vite build Svelte in
// dev mode: a bigger, slower bundle). Pinned here without touching process.env.
const production = {
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
};

/**
 * Writes a Brotli and a gzip copy beside every text file of the build, once, at the highest
 * levels: the server sends them as they are (a crowd's network is the bottleneck, not its CPU).
 */
function precompress(): Plugin {
  return {
    name: 'muster:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? join(root, 'dist');
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const path = join(dir, file);
        const data = await readFile(path);
        if (data.length < 1024) continue;
        const quality = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
        await writeFile(`${path}.br`, brotliCompressSync(data, { params: quality }));
        await writeFile(`${path}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

const SHARED =
  /[\\/]web[\\/]src[\\/]lib[\\/](?!i18n[\\/]materials)|[\\/]node_modules[\\/]svelte[\\/]/;
const PARTICIPANT =
  /[\\/]web[\\/]src[\\/]pages[\\/](EventPage|event[\\/](?!Leader|MaterialRequestForm|MembersList)|roles[\\/]|day[\\/])/;

/**
 * Links the app's stylesheet as print-only, so it does not block the first paint: the event
 * page's first text comes written into the HTML (server/pages/event-page.ts) with its own few
 * rules, and on Slow 3G a render-blocking stylesheet would hold it back by a round trip of
 * 2 s or more. The entry (web/src/main.ts) applies the sheet and waits for it before mounting.
 */
function deferStylesheet(): Plugin {
  return {
    name: 'muster:defer-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const links = /<link rel="stylesheet"( crossorigin)? href="([^"]+)">/g;
        const deferred = html.replace(
          links,
          '<link rel="stylesheet"$1 href="$2" media="print" data-muster-css>',
        );
        if (deferred === html) throw new Error('deferStylesheet: no stylesheet link to defer');
        return deferred;
      },
    },
  };
}

export default defineConfig(({ command }) => ({
  root,
  plugins: [
    svelte({
      configFile: false,
      // Covers components and .svelte.ts modules alike.
      dynamicCompileOptions: () => (command === 'build' ? { dev: false } : undefined),
    }),
    deferStylesheet(),
    serviceWorker({ entry: join(root, 'src/sw.ts'), pages: ['/src/pages/EventPage.svelte'] }),
    precompress(),
  ],
  ...(command === 'build' ? production : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The server reads it to preload the event page's chunks with that page (event-page.ts).
    manifest: true,
    rolldownOptions: {
      output: {
        // Fewer, larger chunks: on Slow 3G each wave of requests costs 2 s of latency and a
        // phone fetches six at a time, so thirty small chunks took the volunteer page 16.7 s
        // to become usable; two groups make it three waves.
        codeSplitting: {
          groups: [
            // The shared code of every page, and Svelte itself (not Leaflet, loaded with maps;
            // nor the materials catalogue, loaded with the materials pages).
            { name: 'app', test: SHARED, priority: 2 },
            // The participant's page, without what only a leader's phone loads.
            { name: 'participant', test: PARTICIPANT, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', ws: true },
    },
  },
}));
