import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openItemStore } from '../../src/store/index.js';
import { describeItemStoreContract } from './item-store.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-sqlite-contract-'));
let counter = 0;
let current = '';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeItemStoreContract('sqlite://', {
  open: () => {
    counter += 1;
    current = join(dir, `nested/store-${counter}.sqlite`);
    return openItemStore(`sqlite://${current}`);
  },
  reopen: () => openItemStore(`sqlite://${current}`),
});
