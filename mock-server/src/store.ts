/**
 * The mock backend's store: a directory with one lowdb document per workspace,
 * `<dir>/<workspaceId>.json`, so that a write costs what its workspace holds, not what the
 * whole store holds. Workspaces are read from disk when first used and kept in memory while
 * the documents kept stay under a byte budget; the least recently used idle ones are dropped
 * (and read again when next used), so that memory does not grow with the store either.
 *
 * What a reader sees is what the disk holds. A change runs against a copy; changes made while
 * a write is under way wait and are written together after it (group commit), and only once
 * their write is on disk (a temporary file, flushed with fsync, renamed over the old one, and
 * the folder flushed: durable-file.ts) does the copy become the workspace readers see and are
 * their requests answered. A write the disk refuses (full, read-only, an I/O error, the folder
 * gone) changes nothing: every change of that group is refused with the same StorageError,
 * the workspace in memory stays what the disk holds, and the next group starts from it, so
 * nothing refused is written later. A change that throws is dropped alone.
 */
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { DomainError } from './domain-error.js';
import { DurableTextFile } from './durable-file.js';
import { DEFAULT_SETTINGS, type WorkspaceSettings } from '../../protocol/control-api.js';
import { newToken } from './tokens.js';

export interface Agent {
  email: string;
  name: string;
  tokenHash: string;
}

export interface Customer {
  id: string;
  externalId?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  gender?: string;
  labels: string[];
  assignedUser?: string;
  data: Record<string, string | number | boolean>;
  conversationId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Visitor {
  id: string;
  tokenHash: string;
  createdAt: string;
  revokedAt?: string;
  customerId?: string;
  /** Set once the visitor writes or is tagged: anonymous visitors own no conversation until then. */
  conversationId?: string;
}

export interface Message {
  id: string;
  seq: number;
  author: 'visitor' | 'agent';
  agentEmail?: string;
  visitorId?: string;
  text: string;
  createdAt: string;
}

export interface Conversation {
  id: string;
  customerId?: string;
  /** The anonymous visitor who started it, while it belongs to no customer. */
  visitorId?: string;
  assignedAgent?: string;
  messages: Message[];
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
  settings: WorkspaceSettings;
  /** Signs identities for identity verification. Kept as is: HMAC checking needs the secret itself. */
  identitySecret: string;
  /** Last message sequence number issued: messages sort by it. */
  seq: number;
  agents: Agent[];
  customers: Customer[];
  visitors: Visitor[];
  conversations: Conversation[];
}

/** A workspace file the store cannot read: named, so that a person can look at it. */
export class StoreError extends Error {}

/** Why the disk refused a write, in words, by the error's code. */
const REFUSALS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: "the store's folder is gone",
};

/**
 * A write the disk refused: the change it carried was not stored, and nothing of it is shown.
 * `cause` is the file system's own error.
 */
export class StorageError extends Error {
  /** The file system's error code (ENOSPC, EROFS, …), when it gave one. */
  readonly errno: string | undefined;

  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    const why = REFUSALS[cause.code ?? ''] ?? cause.message;
    super(`the change was not stored: writing ${path} failed (${why}${cause.code ? `, ${cause.code}` : ''}); nothing of it was kept`, {
      cause,
    });
    this.errno = cause.code;
  }
}

const FILE_NAME = /^([A-Za-z0-9_-]{1,64})\.json$/;
/** Where a write goes before it is renamed: `.<name>.tmp`, left behind by a crash mid-write. */
const TEMP_NAME = /^\.[A-Za-z0-9_-]{1,64}\.json\.tmp$/;

/** A workspace's document on disk, as JSON text; it remembers its size. */
class WorkspaceFile implements Adapter<Workspace> {
  bytes = 0;
  private readonly text: DurableTextFile;

  constructor(
    readonly path: string,
    private readonly id: string,
    fsync: boolean,
  ) {
    this.text = new DurableTextFile(path, fsync);
  }

  async read(): Promise<Workspace | null> {
    const text = await this.text.read();
    if (text === null) throw new StoreError(`${this.path} is gone: the store lists workspace ${this.id} but has no file for it`);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new StoreError(`${this.path} is not valid JSON (${(err as Error).message}); left as it is`);
    }
    if (!isWorkspace(data, this.id)) throw new StoreError(`${this.path} does not hold workspace ${this.id}; left as it is`);
    this.bytes = Buffer.byteLength(text);
    // Workspaces stored by an earlier version: give them the settings and secret added since.
    data.settings = { ...DEFAULT_SETTINGS, ...data.settings };
    data.identitySecret ??= newToken();
    return data;
  }

  async write(ws: Workspace): Promise<void> {
    const text = JSON.stringify(ws);
    try {
      await this.text.write(text);
    } catch (err) {
      throw new StorageError(this.path, err as NodeJS.ErrnoException);
    }
    this.bytes = Buffer.byteLength(text);
  }
}

function isWorkspace(data: unknown, id: string): data is Workspace {
  const ws = data as Partial<Workspace> | null;
  return (
    typeof ws === 'object' && ws !== null && ws.id === id && [ws.agents, ws.customers, ws.visitors, ws.conversations].every(Array.isArray)
  );
}

/** A change waiting for its group's write, and how to answer the request that made it. */
interface Change {
  run: (ws: Workspace) => unknown;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

interface Open {
  /** `db.data` is the workspace as its file holds it: what readers see. */
  db: Low<Workspace>;
  file?: WorkspaceFile;
  lastUsed: number;
  /** The write under way; the changes made meanwhile wait in `waiting` and are written together
   * after it (group commit: a burst of changes costs a few writes, not one each). An open
   * workspace with a write under way or changes waiting is never dropped. */
  writing?: Promise<void>;
  waiting: Change[];
}

/** A workspace as one request holds it. */
export interface WorkspaceHandle {
  readonly id: string;
  /** The workspace as its file holds it now (a write that completes replaces it). */
  readonly data: Workspace;
  /**
   * Runs `change` on a copy of the workspace, after the write under way if there is one;
   * resolves with what it returned once the copy is on disk and readers see it. Rejects with
   * what `change` threw (nothing kept), or with the StorageError of a write the disk refused
   * (nothing kept either), or 404 once the workspace is deleted.
   */
  update<T>(change: (ws: Workspace) => T): Promise<T>;
}

const unknownWorkspace = (id: string) => new DomainError('not_found', 'unknown_workspace', `no workspace ${JSON.stringify(id)}`);

/** How many bytes of workspace documents are kept in memory, by default. */
export const DEFAULT_CACHE_BYTES = 8 * 2 ** 20;

export class Store {
  private readonly open = new Map<string, Promise<Open>>();
  private readonly opened = new Map<string, Open>();
  private clock = 0;

  constructor(
    /** undefined: an in-memory store. */
    private readonly dir: string | undefined,
    private readonly ids: Set<string>,
    private readonly cacheBytes = DEFAULT_CACHE_BYTES,
    /** Whether a write is flushed to disk (file and folder) before it is answered. */
    private readonly fsync = true,
  ) {}

  /** Whether a workspace exists, without reading it. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * The workspace, for one request: what is stored now, and how to change it. A request looks
   * its workspace up once, here, and works through the handle.
   */
  async workspace(id: string): Promise<WorkspaceHandle | undefined> {
    if (!this.ids.has(id)) return undefined;
    let open = await this.use(id);
    return {
      id,
      get data() {
        return open.db.data;
      },
      update: async (change) => {
        open = await this.current(id, open);
        return this.enqueue(open, change);
      },
    };
  }

  /** The open document of a workspace still stored: `open`, unless it was dropped from memory since. */
  private async current(id: string, open: Open): Promise<Open> {
    // Deleted while the request was on its way: the same answer as if it had come later.
    if (!this.ids.has(id)) throw unknownWorkspace(id);
    // Dropped from memory by another request since (it was idle, so its file is current): read it again.
    while (this.opened.get(id) !== open) {
      if (!this.ids.has(id)) throw unknownWorkspace(id);
      open = await this.use(id);
    }
    return open;
  }

  /** Queues a change for the next group's write; see WorkspaceHandle.update. */
  private enqueue<T>(open: Open, change: (ws: Workspace) => T): Promise<T> {
    const done = new Promise<T>((resolve, reject) =>
      open.waiting.push({ run: change, resolve: resolve as (result: unknown) => void, reject }),
    );
    this.schedule(open);
    return done;
  }

  /** Starts writing what waits, unless a write is under way (it starts the next one when done). */
  private schedule(open: Open): void {
    if (open.writing || open.waiting.length === 0) return;
    open.writing = this.commit(open).finally(() => {
      open.writing = undefined;
      this.schedule(open);
    });
  }

  /**
   * Writes the waiting changes as one group, then the group that waited meanwhile, until none
   * waits; never rejects (each change is answered on its own). Each change runs on a copy of what the changes before it left, so one that throws
   * leaves nothing behind; the group's result becomes what readers see only once it is on disk.
   */
  private async commit(open: Open): Promise<void> {
    while (open.waiting.length > 0) {
      const group = open.waiting.splice(0);
      let draft = open.db.data;
      const applied: { change: Change; result: unknown }[] = [];
      for (const change of group) {
        const copy = structuredClone(draft);
        try {
          applied.push({ change, result: change.run(copy) });
          draft = copy;
        } catch (err) {
          change.reject(err);
        }
      }
      if (applied.length === 0) continue;
      try {
        await open.db.adapter.write(draft);
      } catch (err) {
        for (const { change } of applied) change.reject(err);
        continue;
      }
      open.db.data = draft;
      for (const { change, result } of applied) change.resolve(result);
    }
  }

  /** Stores a new workspace; it exists for readers once its file is on disk. */
  async insertWorkspace(ws: Workspace): Promise<void> {
    const open = this.create(ws.id, ws);
    await open.db.adapter.write(ws);
    this.ids.add(ws.id);
    this.open.set(ws.id, Promise.resolve(open));
    this.opened.set(ws.id, open);
    open.lastUsed = ++this.clock;
    this.evict(ws.id);
  }

  async deleteWorkspace(id: string): Promise<void> {
    if (!this.ids.delete(id)) return;
    const open = this.opened.get(id);
    this.forget(id);
    // Changes still waiting get the answer they would have got a moment later; a write under way
    // would put the file back after it is removed, so it is waited for.
    for (const change of open?.waiting.splice(0) ?? []) change.reject(unknownWorkspace(id));
    if (open?.writing) await open.writing;
    if (!this.dir) return;
    try {
      await rm(this.fileOf(id), { force: true });
    } catch (err) {
      // Still on disk, so still there after a restart: it stays, and the caller is told why.
      this.ids.add(id);
      throw new StorageError(this.fileOf(id), err as NodeJS.ErrnoException);
    }
  }

  /** The workspace's open document, read from disk when it is not in memory. */
  private async use(id: string): Promise<Open> {
    let pending = this.open.get(id);
    if (!pending) {
      pending = this.read(id);
      this.open.set(id, pending);
      // A file that cannot be read is read again next time: someone may mend it meanwhile.
      const reading = pending;
      reading.then(
        (open) => {
          if (this.open.get(id) === reading) this.opened.set(id, open);
        },
        () => {
          if (this.open.get(id) === reading) this.open.delete(id);
        },
      );
    }
    const open = await pending;
    open.lastUsed = ++this.clock;
    this.evict(id);
    return open;
  }

  private async read(id: string): Promise<Open> {
    const open = this.create(id, null);
    await open.db.read();
    return open;
  }

  private create(id: string, data: Workspace | null): Open {
    const file = this.dir ? new WorkspaceFile(this.fileOf(id), id, this.fsync) : undefined;
    const db = new Low<Workspace>(file ?? new Memory<Workspace>(), data as Workspace);
    return { db, file, lastUsed: 0, waiting: [] };
  }

  private forget(id: string): void {
    this.open.delete(id);
    this.opened.delete(id);
  }

  /** Drops the least recently used idle workspaces until those kept fit the budget. */
  private evict(keep: string): void {
    if (!this.dir) return;
    let kept = 0;
    for (const open of this.opened.values()) kept += open.file!.bytes;
    if (kept <= this.cacheBytes) return;
    const idle = [...this.opened]
      .filter(([id, open]) => id !== keep && !open.writing && open.waiting.length === 0)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [id, open] of idle) {
      if (kept <= this.cacheBytes) break;
      kept -= open.file!.bytes;
      this.forget(id);
    }
  }

  private fileOf(id: string): string {
    return join(this.dir!, `${id}.json`);
  }
}

/**
 * Opens the store. A directory path gives one JSON file per workspace that survives restarts;
 * `undefined` gives an in-memory store. `reset` removes the workspace files (and nothing else)
 * first; `fsync: false` answers a write once it is renamed into place, without flushing it
 * (it then survives a killed server, not a power cut). lowdb's JSONFilePreset is avoided on
 * purpose: it silently swaps in a memory adapter when NODE_ENV is "test".
 */
export async function openStore(dir?: string, opts: { reset?: boolean; cacheBytes?: number; fsync?: boolean } = {}): Promise<Store> {
  if (!dir) return new Store(undefined, new Set(), opts.cacheBytes);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new Error(
      `${dir} is a file, not a store directory: the store keeps one JSON file per workspace in a directory ` +
        '(an earlier version kept one file for everything). Name a directory with --data; the file is left as it is.',
    );
  }
  mkdirSync(dir, { recursive: true });
  const ids = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (opts.reset && (FILE_NAME.test(name) || TEMP_NAME.test(name))) {
      unlinkSync(join(dir, name));
      continue;
    }
    const id = FILE_NAME.exec(name)?.[1];
    if (id) ids.add(id);
  }
  return new Store(dir, ids, opts.cacheBytes, opts.fsync);
}
