import { memoryStorage } from '../../src/persistence/storage/memory.js';
import { createVersionedPersister } from '../../src/persistence/versioned.js';
import { testPersister } from './persister.js';

testPersister('memory', async () => {
  const storage = memoryStorage();
  return {
    persister: createVersionedPersister({ storage }),
    corrupt: async (version) => {
      const bytes = await storage.get(String(version));
      if (bytes === null) throw new Error(`version ${version} has no bytes`);
      bytes[bytes.length >> 1] ^= 0xff;
      await storage.put(String(version), bytes);
    },
  };
});
