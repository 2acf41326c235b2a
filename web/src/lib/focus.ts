// Keyboard focus through actions that change the page under it. Without these, focus falls back
// to the page itself, and someone on a keyboard (or a screen reader) has to find their place
// again from the top.
import { tick } from 'svelte';

const lost = () => !document.activeElement || document.activeElement === document.body;

/**
 * Buttons are disabled while their action runs, and Chromium takes focus from a disabled
 * control: pressing +10 with Enter would leave the next Enter with nowhere to go. This gives
 * focus back to such a control once it is enabled again, if focus has not gone anywhere else
 * meanwhile and no click or key has asked for somewhere else. Returns the teardown.
 */
export function keepFocusThroughBusy(): () => void {
  let last: Element | null = null;
  let parked: HTMLElement | null = null;
  const track = (event: FocusEvent) => {
    last = event.target as Element;
    parked = null;
  };
  // A click elsewhere moves the person on, even where it lands on nothing focusable.
  const forget = () => {
    last = null;
    parked = null;
  };
  const observer = new MutationObserver((records) => {
    for (const { target } of records) {
      if (!(target instanceof HTMLElement)) continue;
      // Chromium may take the focus away only at its next rendering: `last` says who had it.
      if (target.hasAttribute('disabled')) {
        if (target === last) parked = target;
      } else if (target === parked) {
        parked = null;
        if (target.isConnected && lost()) target.focus();
      }
    }
  });
  document.addEventListener('focusin', track);
  document.addEventListener('pointerdown', forget, true);
  observer.observe(document.body, { subtree: true, attributeFilter: ['disabled'] });
  return () => {
    document.removeEventListener('focusin', track);
    document.removeEventListener('pointerdown', forget, true);
    observer.disconnect();
  };
}

/**
 * After an action replaced the control that had focus (a Claim button gone once the role is
 * held, a Delete button turned into its question), focuses what took its place once the page
 * has updated, unless focus already went somewhere.
 */
export async function focusAfterUpdate(next: () => HTMLElement | null | undefined): Promise<void> {
  await tick();
  if (lost()) next()?.focus();
}
