package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TestMemoryRunStoreFactory {
    private final MemoryRunStoreFactory factory = new MemoryRunStoreFactory(Clock.systemUTC(), new SplittableRandom(5));

    @Test
    void sameUriSameStore() {
        assertThat(factory.schemes()).containsExactly("memory");
        RunStore a = factory.create("memory:");
        ExperimentId experiment = a.getOrCreateExperiment("e").id();
        RunInfo run = a.createRun(new CreateRunRequest(experiment, "r", "u", 1L, List.of()));
        assertThat(factory.create("memory:").getRun(run.runId())).isPresent();
        assertThat(factory.create("memory:other").getRun(run.runId())).isEmpty();
        assertThat(run.artifactUri()).startsWith("memory://mlartifacts/");
        assertThat(Location.of(run.artifactUri()).scheme()).isEqualTo("memory");
        assertThat(factory.create("memory://named").getOrCreateExperiment("x").artifactLocation())
                .startsWith("memory://mlartifacts/named/");
    }

    @Test
    void otherUrisAreRejected() {
        for (String uri : List.of("sqlite:///x.db", "memory:../x", "memory:a b")) {
            assertThatThrownBy(() -> factory.create(uri)).isInstanceOfSatisfying(CropcastException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_URI));
        }
    }
}
