/**
 * Where the visitor's id and token live in the browser. The workspace's idMode decides:
 * `session` keeps them in sessionStorage (gone with the tab), `local` in localStorage (long
 * lived). Keys are namespaced per workspace so two workspaces on one origin never share a
 * visitor, and the copy in the storage the mode does not use is removed, so a workspace that
 * moves from local to session ids stops using the long-lived one.
 *
 * Logouts are counted per browser profile (in localStorage: a number, nothing of any visitor),
 * and each stored visitor keeps the count it was stored at. A tab that was elsewhere while the
 * user logged out in another tab (on another site, or in the back/forward cache) heard nothing
 * of it; when it comes back, its visitor has outlived a logout and must not be resumed.
 */
import type { IdMode } from '../../protocol/widget-api.js';
import type { Credentials } from './client.js';

export interface StoredCredentials extends Credentials {
  /** A logout in this browser came after this visitor was stored. */
  outlivedLogout: boolean;
}

function storageOf(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined; // storage disabled, or a sandboxed frame: the id then lives in memory only
  }
}

export class IdentityStore {
  private readonly key: string;
  private readonly logoutsKey: string;
  private storage: Storage | undefined;
  /** The visitor, kept in memory too: where storage refused it, for the rest of the page. */
  private memory: Credentials | undefined;
  private memoryOnly = false;

  constructor(workspaceId: string) {
    this.key = `cv:${workspaceId}:visitor`;
    this.logoutsKey = `cv:${workspaceId}:logouts`;
  }

  /** Logouts made so far in this browser profile, in any tab. */
  private logouts(): number {
    try {
      return Number(storageOf('localStorage')?.getItem(this.logoutsKey)) || 0;
    } catch {
      return 0;
    }
  }

  /** Counts a logout: every visitor stored before it has outlived it. */
  noteLogout(): void {
    try {
      storageOf('localStorage')?.setItem(this.logoutsKey, String(this.logouts() + 1));
    } catch {
      /* no shared storage: tabs that were elsewhere cannot be told */
    }
  }

  useMode(mode: IdMode): void {
    const session = storageOf('sessionStorage');
    const local = storageOf('localStorage');
    this.storage = mode === 'session' ? session : local;
    const other = mode === 'session' ? local : session;
    try {
      other?.removeItem(this.key);
    } catch {
      /* nothing to remove */
    }
  }

  read(): StoredCredentials | undefined {
    // Only what storage refused is read from memory: a visitor another tab removed is gone.
    const memory = () => (this.memoryOnly && this.memory ? { ...this.memory, outlivedLogout: false } : undefined);
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return memory();
      const value = JSON.parse(raw) as Partial<Credentials> & { logouts?: unknown };
      if (typeof value.visitorId !== 'string' || typeof value.token !== 'string') return undefined;
      const storedAt = typeof value.logouts === 'number' ? value.logouts : 0;
      return { visitorId: value.visitorId, token: value.token, outlivedLogout: storedAt < this.logouts() };
    } catch {
      return memory();
    }
  }

  /** Stores the visitor as current: it has outlived no logout so far. */
  write(creds: Credentials): void {
    this.memory = { visitorId: creds.visitorId, token: creds.token };
    try {
      this.storage?.setItem(this.key, JSON.stringify({ ...this.memory, logouts: this.logouts() }));
      this.memoryOnly = !this.storage;
    } catch {
      this.memoryOnly = true; // quota or disabled storage: memory keeps it for this page
    }
  }

  clear(): void {
    this.memory = undefined;
    for (const storage of [storageOf('sessionStorage'), storageOf('localStorage')]) {
      try {
        storage?.removeItem(this.key);
      } catch {
        /* nothing to remove */
      }
    }
  }
}
