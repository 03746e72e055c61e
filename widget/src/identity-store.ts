/**
 * Where the visitor's id and token live in the browser. The workspace's idMode decides:
 * `session` keeps them in sessionStorage (gone with the tab), `local` in localStorage (long
 * lived). Keys are namespaced per workspace so two workspaces on one origin never share a
 * visitor, and the copy in the storage the mode does not use is removed, so a workspace that
 * moves from local to session ids stops using the long-lived one.
 */
import type { IdMode } from '../../protocol/widget-api.js';
import type { Credentials } from './client.js';

function storageOf(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined; // storage disabled, or a sandboxed frame: the id then lives in memory only
  }
}

export class IdentityStore {
  private readonly key: string;
  private storage: Storage | undefined;
  private memory: Credentials | undefined;

  constructor(workspaceId: string) {
    this.key = `cv:${workspaceId}:visitor`;
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

  read(): Credentials | undefined {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return this.memory;
      const value = JSON.parse(raw) as Partial<Credentials>;
      return typeof value.visitorId === 'string' && typeof value.token === 'string'
        ? { visitorId: value.visitorId, token: value.token }
        : undefined;
    } catch {
      return this.memory;
    }
  }

  write(creds: Credentials): void {
    this.memory = creds;
    try {
      this.storage?.setItem(this.key, JSON.stringify(creds));
    } catch {
      /* quota or disabled storage: memory keeps it for this page */
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
