// `npm run bench:web` (issue 6): what each page of the web app loads first, gzipped, and how
// long a volunteer on Slow 3G waits to see where to meet.
//
// Sizes: the app is built with a manifest into a temporary directory. A page's initial
// JavaScript is the entry chunk, the page's chunk and their static imports, transitively, each
// chunk once; its CSS is those chunks' CSS. Each file is gzipped at level 9 on its own, as a
// server would send it. What a page imports dynamically (Leaflet, the QR code library) loads
// after and is not counted. Leaflet's stylesheet is named on its own line, with the pages that
// load it first.
//
// Time: the real server (server/main.ts on a fresh PGlite directory), one event with a meeting
// point and a volunteer; Chromium opens the volunteer's event page at 360 × 740 on DevTools'
// Slow 3G with the cache disabled, and the page times its first frame that shows the meeting
// point's name. Median of 3 runs, and the median run's requests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { buildWebIfStale } from '../../server/web-build.ts';
import { launchChromium } from '../browser/browser.ts';
import { MEETING_POINT, newVolunteer, timeToText, waterfall } from '../browser/slow-network.ts';
import { startServer } from '../helpers/server-process.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 3;

interface Chunk {
  file: string;
  imports?: string[];
  css?: string[];
  isDynamicEntry?: boolean;
}
type Manifest = Record<string, Chunk>;

interface PageSize {
  page: string;
  js: number;
  css: number;
  files: number;
  leafletCss: boolean;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The chunks `key` loads before it runs: itself and its static imports, transitively. */
function staticClosure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of manifest[key]!.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

async function pageSizes(): Promise<{ sizes: PageSize[]; leafletCss: [string, number] | null }> {
  const outDir = mkdtempSync(join(tmpdir(), 'muster-bench-web-'));
  try {
    await build({
      configFile: join(root, 'web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'));
    const gzipped = new Map<string, number>();
    const size = (file: string) => {
      if (!gzipped.has(file)) {
        gzipped.set(file, gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length);
      }
      return gzipped.get(file)!;
    };
    const leaflet = Object.values(manifest as Manifest)
      .flatMap((chunk) => chunk.css ?? [])
      .find((file) => readFileSync(join(outDir, file), 'utf8').includes('.leaflet-pane'));
    const pages = Object.keys(manifest).filter(
      (key) => manifest[key].isDynamicEntry && /^src\/pages\/\w+\.svelte$/.test(key),
    );
    const sizes = ['index.html', ...pages].map((key) => {
      const chunks = staticClosure(manifest, key, staticClosure(manifest, 'index.html'));
      const js = [...chunks].map((chunk) => manifest[chunk].file as string);
      const css = [...new Set([...chunks].flatMap((chunk) => manifest[chunk].css ?? []))];
      return {
        page: key === 'index.html' ? 'entry (every page)' : key.replace(/^src\/pages\//, ''),
        js: js.reduce((sum, file) => sum + size(file), 0),
        css: (css as string[]).reduce((sum, file) => sum + size(file), 0),
        files: js.length + css.length,
        leafletCss: leaflet !== undefined && css.includes(leaflet),
      };
    });
    return { sizes, leafletCss: leaflet ? [leaflet, size(leaflet)] : null };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function slow3gTimes() {
  await buildWebIfStale(root, (line) => console.log(line));
  const dataDir = mkdtempSync(join(tmpdir(), 'muster-bench-web-data-'));
  const server = await startServer({ MUSTER_DATA_DIR: dataDir });
  const browser = await launchChromium();
  try {
    const { eventId, volunteer } = await newVolunteer(server.origin, server.setupLink!);
    const url = `${server.origin}/events/${eventId}`;
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      runs.push(await timeToText(browser, volunteer, url, MEETING_POINT));
    }
    return runs.sort((a, b) => a.ms - b.ms);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const { sizes, leafletCss } = await pageSizes();
console.log(
  '\n| page | initial JS (gzip -9) | initial CSS (gzip -9) | files | Leaflet CSS in it |',
);
console.log('| --- | ---: | ---: | ---: | --- |');
for (const { page, js, css, files, leafletCss: withLeaflet } of sizes) {
  console.log(
    `| ${page} | ${kb(js)} KB | ${kb(css)} KB | ${files} | ${withLeaflet ? 'yes' : 'no'} |`,
  );
}
console.log(
  leafletCss
    ? `\nLeaflet's CSS is in ${leafletCss[0]}: ${kb(leafletCss[1])} KB gzipped.`
    : "\nLeaflet's CSS is in no chunk's CSS.",
);

const runs = await slow3gTimes();
const median = runs[Math.floor(runs.length / 2)]!;
console.log(
  `\nSlow 3G (2,000 ms, 51,200 B/s), 360 × 740, volunteer page, time to meeting-point text:` +
    ` median ${median.ms} ms of ${runs.map((run) => run.ms).join(', ')} (budget 3,000 ms);` +
    ` the app takes over (buttons work) at ${median.appMs} ms in that run`,
);
console.log(
  `The median run's requests (sent → finished, bytes on the wire):\n${waterfall(median)}`,
);
