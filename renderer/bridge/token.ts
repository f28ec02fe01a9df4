// The admin token for headless mode arrives once in the address bar (`/?token=...`); keep it for
// this tab in sessionStorage and take it out of the visible URL so it is not shared or bookmarked.
const STORAGE_KEY = 'switchboard.adminToken';

export interface TokenEnv {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeAdminToken(env: TokenEnv): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      env.storage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return env.storage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
