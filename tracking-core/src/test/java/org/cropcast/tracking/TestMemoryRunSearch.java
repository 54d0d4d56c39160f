package org.cropcast.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/** Core's search contract against the memory store. */
class TestMemoryRunSearch extends AbstractRunSearchContractTest {
    @Override
    protected RunStore createStore() {
        return new MemoryRunStore(Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC), new SplittableRandom(42));
    }
}
