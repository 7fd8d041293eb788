import { MemoryTradeStore } from '../src/store/memory-trade-store';
import { describeTradeStoreConformance } from '../src/testing';

describeTradeStoreConformance('memory', async () => ({ store: new MemoryTradeStore(), dispose: async () => {} }));
