package org.cropcast.tracking;

import java.time.Clock;
import java.util.SplittableRandom;

class TestMemoryModelStore extends AbstractModelStoreContractTest {
    @Override
    protected RunStore createRunStore() {
        return new MemoryRunStore(Clock.systemUTC(), new SplittableRandom(42));
    }

    @Override
    protected ModelStore createModelStore(RunStore runs) {
        return new MemoryModelStoreFactory(Clock.systemUTC(), new SplittableRandom(7)).create("memory:", runs);
    }
}
