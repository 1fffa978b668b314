import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PldError } from '../../errors.js';
import type { StorageDriver } from './types.js';

/** Options of {@link fsStorage}. */
export interface FsStorageOptions {
  /** The file of each key (absolute path); the layout belongs to the caller, e.g. the File persister. */
  readonly pathFor: (key: string) => string;
  /** The lock file shared by every process that writes the store. */
  readonly lockPath: string;
  /** How long `withLock` waits for another holder before `PLD_ERR_PERSIST_LOCKED`; default 10 s. */
  readonly lockTimeoutMs?: number;
  /** A lock file untouched for this long is taken as left behind by a crash; default 30 s. */
  readonly staleLockMs?: number;
  /** Names the store in messages; default the lock file's folder. */
  readonly description?: string;
}

/**
 * A storage driver over the local file system. `put` writes a temp file beside the target, fsyncs and
 * renames it, so readers (and a crash) see the old or the new file, never a torn one. `withLock` takes
 * an exclusive lock file (`open(…, 'wx')`) holding the pid, retried with backoff, refreshed while held,
 * and removed when its holder died or it went stale.
 * @example
 * const storage = fsStorage({ pathFor: (key) => `/models/model-${key}.json.gz`, lockPath: '/models/model-lock.lock' });
 */
export function fsStorage(options: FsStorageOptions): StorageDriver {
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const staleLockMs = options.staleLockMs ?? 30_000;
  // In-process holders queue here first, so one process never spins against its own lock file.
  let tail: Promise<unknown> = Promise.resolve();

  const withFileLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const token = await _acquire(options.lockPath, lockTimeoutMs, staleLockMs);
    // Touch the lock while we hold it, so a slow but live writer is never mistaken for a stale one.
    const heartbeat = setInterval(
      () => {
        const now = new Date();
        utimes(options.lockPath, now, now).catch(() => undefined);
      },
      Math.max(50, Math.floor(staleLockMs / 3)),
    );
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      await _release(options.lockPath, token);
    }
  };

  return {
    async get(key) {
      const path = options.pathFor(key);
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if (_code(error) === 'ENOENT') return null;
        throw _io('read', path, error);
      }
    },
    async put(key, bytes) {
      await _atomicWrite(options.pathFor(key), bytes);
    },
    async remove(key) {
      const path = options.pathFor(key);
      try {
        await rm(path, { force: true });
      } catch (error) {
        throw _io('remove', path, error);
      }
    },
    async has(key) {
      const path = options.pathFor(key);
      try {
        await stat(path);
        return true;
      } catch (error) {
        if (_code(error) === 'ENOENT') return false;
        throw _io('stat', path, error);
      }
    },
    withLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(
        () => withFileLock(fn),
        () => withFileLock(fn),
      );
      tail = run.catch(() => undefined);
      return run;
    },
    describe() {
      return options.description ?? dirname(options.lockPath);
    },
  };
}

async function _atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw _io('write', path, error);
  }
  await _syncDir(dirname(path));
}

/** Makes the rename itself durable; some platforms (Windows) cannot open folders, which is fine. */
async function _syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only: the rename already happened; durability of the folder entry is platform-dependent.
  }
}

async function _acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<string> {
  const token = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      const code = _code(error);
      if (code === 'ENOENT' && Date.now() < deadline) {
        await mkdir(dirname(lockPath), { recursive: true }).catch((cause) => {
          throw _io('create the folder of', lockPath, cause);
        });
        continue;
      }
      if (code !== 'EEXIST') throw _io('create the lock file', lockPath, error);
    }
    if (await _removeIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) {
      const holder = (await readFile(lockPath, 'utf8').catch(() => '')).split('\n')[0];
      throw new PldError(
        'PLD_ERR_PERSIST_LOCKED',
        `The model store is locked by another writer${holder ? ` (pid ${holder})` : ''} for more than ${timeoutMs / 1000} s: ${lockPath}. If no pld process is running, delete that file.`,
        {
          details: { path: lockPath, pid: holder ? Number(holder) : undefined },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 100);
  }
}

const _EMPTY_LOCK_GRACE_MS = 1000;

async function _removeIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  let content: string;
  let mtimeMs: number;
  try {
    content = await readFile(lockPath, 'utf8');
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch (error) {
    // Gone between our open and now: the holder released it, so retry at once.
    return _code(error) === 'ENOENT';
  }
  const pid = Number(content.split('\n')[0]);
  const age = Date.now() - mtimeMs;
  // A holder writes its pid right after creating the file; an empty lock that old was left by a writer
  // killed between the two steps, and waiting the full stale period for it would fail the next fit.
  const abandoned = content === '' && age > _EMPTY_LOCK_GRACE_MS;
  const dead = abandoned || (content !== '' && Number.isInteger(pid) && pid > 0 && !_isAlive(pid));
  if (!dead && age < staleMs) return false;
  // Re-check just before removing, so we do not delete a fresh lock another process took meanwhile.
  const again = await readFile(lockPath, 'utf8').catch(() => null);
  if (again !== content) return again === null;
  await unlink(lockPath).catch(() => undefined);
  return true;
}

async function _release(lockPath: string, token: string): Promise<void> {
  const content = await readFile(lockPath, 'utf8').catch(() => null);
  // Only remove our own lock: if it was judged stale and taken over, the new holder keeps it.
  if (content === token) await unlink(lockPath).catch(() => undefined);
}

function _isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return _code(error) === 'EPERM';
  }
}

function _code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function _io(action: string, path: string, cause: unknown): PldError {
  if (cause instanceof PldError) return cause;
  return new PldError('PLD_ERR_PERSIST_IO', `Cannot ${action} ${path}: ${(cause as Error).message}`, { cause, details: { path } });
}
