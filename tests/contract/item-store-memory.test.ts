import { openItemStore } from '../../src/store/index.js';
import { describeItemStoreContract } from './item-store.js';

describeItemStoreContract('memory://', { open: () => openItemStore('memory://') });
