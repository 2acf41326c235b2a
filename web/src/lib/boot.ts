// Answers the server embedded in the page (server/pages/event-page.ts): the first reads of the
// event page, so on a slow network the app starts without asking for them again. Each is used
// once; reading the same path again goes to the network.

const BOOT_ELEMENT = 'muster-boot';

let booted: Map<string, unknown> | null = null;

function embedded(): Map<string, unknown> {
  if (booted) return booted;
  booted = new Map();
  const element = document.getElementById(BOOT_ELEMENT);
  if (element?.textContent) {
    try {
      const answers = JSON.parse(element.textContent) as Record<string, unknown>;
      for (const [path, answer] of Object.entries(answers)) booted.set(path, answer);
    } catch {
      // A damaged page: the app reads everything itself.
    }
  }
  element?.remove();
  return booted;
}

/** The embedded answer to GET `path`, once; undefined when there is none (left). */
export function takeBooted(path: string): unknown {
  const answers = embedded();
  const answer = answers.get(path);
  answers.delete(path);
  return answer;
}

/**
 * The server's first text of the page, shown until the app has rendered the same: the app
 * calls this once its own view of the plan is on screen.
 */
export function dropServerEssentials(): void {
  document.getElementById('essentials')?.remove();
}
