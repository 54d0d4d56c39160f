package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestRunHealth {
    private static Run run(RunStatus status, Map<String, String> tags) {
        RunInfo info = new RunInfo(RunId.of("0123456789abcdef0123456789abcdef"), ExperimentId.of("1"), "r", "u", status,
                0, Optional.empty(), "memory://a/1", LifecycleStage.ACTIVE);
        return new Run(info, new RunData(Map.of(), tags, Map.of()));
    }

    @Test
    void runningRunWithOldHeartbeatIsStale() {
        Instant now = Instant.ofEpochMilli(1_000_000);
        Duration staleAfter = Duration.ofMinutes(2);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, Map.of(RunTags.HEARTBEAT, "1000000")), now, staleAfter)).isEqualTo(RunHealth.ALIVE);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, Map.of(RunTags.HEARTBEAT, "880000")), now, staleAfter)).isEqualTo(RunHealth.ALIVE);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, Map.of(RunTags.HEARTBEAT, "879999")), now, staleAfter)).isEqualTo(RunHealth.STALE);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, Map.of()), now, staleAfter)).isEqualTo(RunHealth.UNKNOWN);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, Map.of(RunTags.HEARTBEAT, "garbage")), now, staleAfter)).isEqualTo(RunHealth.UNKNOWN);
        assertThat(RunHealth.of(run(RunStatus.KILLED, Map.of(RunTags.HEARTBEAT, "0")), now, staleAfter)).isEqualTo(RunHealth.ENDED);
    }

    @Test
    void aCropcastRunWithoutAHeartbeatIsJudgedByItsStartTime() {
        // started at 0: stale after 2 minutes, alive before
        Map<String, String> cropcast = Map.of(RunTags.STAGE, "hindcast");
        assertThat(RunHealth.of(run(RunStatus.RUNNING, cropcast), Instant.ofEpochMilli(120_001), Duration.ofMinutes(2)))
                .isEqualTo(RunHealth.STALE);
        assertThat(RunHealth.of(run(RunStatus.RUNNING, cropcast), Instant.ofEpochMilli(60_000), Duration.ofMinutes(2)))
                .isEqualTo(RunHealth.ALIVE);
    }
}
