import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { answerFirstReadsFrom } from './lib/api.ts';
import { takeBooted } from './lib/boot.ts';
import { captureInviteToken } from './lib/invite-token.ts';
import { registerServiceWorker } from './lib/offline/service-worker.ts';
import { router } from './lib/router.svelte.ts';

captureInviteToken();
answerFirstReadsFrom(takeBooted);
router.start();

await stylesheetReady();
mount(App, { target: document.getElementById('app')! });
registerServiceWorker();

/**
 * The built page links the app's stylesheets as print-only so they do not hold back the first
 * text the server wrote (web/vite.config.ts, deferStylesheet); the app applies them and waits
 * for them, so it never shows unstyled.
 */
async function stylesheetReady(): Promise<void> {
  const links = document.querySelectorAll<HTMLLinkElement>('link[data-muster-css]');
  await Promise.all([...links].map(applied));
}

function applied(link: HTMLLinkElement): Promise<void> {
  link.media = 'all';
  if (link.sheet) return Promise.resolve();
  return new Promise((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    // Without it the app is still usable; better unstyled than nothing.
    link.addEventListener('error', () => resolve(), { once: true });
  });
}
