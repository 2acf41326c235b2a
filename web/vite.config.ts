import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// A build is always a production build, even when started from a process whose NODE_ENV
// says otherwise (the test runner sets NODE_ENV=test, which would make Vite build Svelte in
// dev mode: a bigger, slower bundle). Pinned here without touching process.env.
const production = {
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
};

export default defineConfig(({ command }) => ({
  root,
  plugins: [
    svelte({
      configFile: false,
      // Covers components and .svelte.ts modules alike.
      dynamicCompileOptions: () => (command === 'build' ? { dev: false } : undefined),
    }),
  ],
  ...(command === 'build' ? production : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', ws: true },
    },
  },
}));
