import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsStorage } from '../../index.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'pld-fs-storage-'));
const io = (action: string) => expect.objectContaining({ code: 'PLD_ERR_PERSIST_IO', message: expect.stringContaining(`Cannot ${action} `) });

describe('fsStorage errors name the action and the path', () => {
  it('reads, checks, writes and removes, and turns file-system failures into PLD_ERR_PERSIST_IO', async () => {
    const dir = folder();
    // A plain file where a folder is expected: every path below it fails with ENOTDIR, even for root.
    writeFileSync(path.join(dir, 'file'), 'not a folder');
    mkdirSync(path.join(dir, 'folder'));
    const storage = fsStorage({ pathFor: (key) => path.join(dir, key), lockPath: path.join(dir, 'store.lock') });
    expect(storage.describe?.()).toBe(dir);
    expect(await storage.has('missing')).toBe(false);
    expect(await storage.get('missing')).toBeNull();
    await storage.put('a/b', new Uint8Array([1, 2]));
    expect(await storage.has('a/b')).toBe(true);
    expect(Array.from((await storage.get('a/b'))!)).toEqual([1, 2]);

    await expect(storage.get('folder')).rejects.toThrow(io('read'));
    await expect(storage.has('file/x')).rejects.toThrow(io('stat'));
    await expect(storage.put('file/x', new Uint8Array([1]))).rejects.toThrow(io('write'));
    await expect(storage.remove('folder')).rejects.toThrow(io('remove'));
    const failed = await storage.put('file/x', new Uint8Array([1])).catch((error: unknown) => error);
    expect(failed).toMatchObject({ details: { path: path.join(dir, 'file/x') } });
  });

  it('fails to lock below a file, and the next holder in this process still gets the lock', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'file'), '');
    const blocked = fsStorage({ pathFor: (key) => path.join(dir, key), lockPath: path.join(dir, 'file', 'store.lock'), lockTimeoutMs: 200 });
    await expect(blocked.withLock(async () => 1)).rejects.toThrow(io('create the lock file'));
    const storage = fsStorage({ pathFor: (key) => path.join(dir, key), lockPath: path.join(dir, 'locks', 'store.lock') });
    const first = storage.withLock(async () => {
      throw new Error('the first holder fails');
    });
    const second = storage.withLock(async () => 'second');
    await expect(first).rejects.toThrow('the first holder fails');
    expect(await second).toBe('second');
  });

  it('keeps touching the lock file while a slow holder works, so it never looks stale', async () => {
    const dir = folder();
    const lockPath = path.join(dir, 'store.lock');
    const storage = fsStorage({ pathFor: (key) => path.join(dir, key), lockPath, staleLockMs: 150 });
    const mtimes: number[] = [];
    await storage.withLock(async () => {
      for (let i = 0; i < 4; i++) {
        mtimes.push(statSync(lockPath).mtimeMs);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    });
    expect(new Set(mtimes).size).toBeGreaterThan(1);
  });
});
