// The token of an invite or setup link lives only in memory. index.html takes it out of the
// address bar before the app loads; this module picks it up from there (or, when the app
// was loaded some other way, straight from the hash) and keeps it until the join succeeds.

declare global {
  interface Window {
    __musterInviteToken?: string;
  }
}

let token: string | null = null;

export function captureInviteToken(): void {
  const { pathname, hash, search } = location;
  if (window.__musterInviteToken) {
    token = window.__musterInviteToken;
    delete window.__musterInviteToken;
  } else if ((pathname === '/join' || pathname === '/setup') && hash.length > 1) {
    token = hash.slice(1);
    history.replaceState(null, '', pathname + search);
  }
}

export function inviteToken(): string | null {
  return token;
}

export function forgetInviteToken(): void {
  token = null;
}
