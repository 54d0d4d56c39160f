package org.cropcast.tracking;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child process of {@link TestRunScopeSignals}: opens a run with the shutdown hook enabled,
 * prints {@code READY <runId>}, then logs metrics until it is signalled.
 * Arguments: journal file, work directory.
 */
public final class RunScopeSignalChild {
    private RunScopeSignalChild() {}

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Clock clock = Clock.systemUTC();
        RunStore store = new JournalingRunStore(
                new MemoryRunStore(clock, new SplittableRandom(), work.resolve("mlartifacts").toUri().toString()), journal);
        LocalStorage storage = new LocalStorage();
        RunScope scope = new RunScope(store, new StorageArtifactStore(storage), storage, new SerializingDocumentWriter(),
                clock, new RunScopeSettings("child", "memory:", Duration.ofMillis(50), true,
                        EnvironmentInfo.current(Map.of()), GitInfo.unknown()));
        BoundedParams params = new BoundedParams(1, work.toString(), 2001, 2020, "signals", "k", "none", "ols", 1.0);
        RunRequest request = RunRequest.of("hindcast", "signals", Location.local(work.resolve("run")), "config.yaml",
                Map.of("a", 1), params, RunMode.CREATE, List.of());
        scope.run(request, run -> {
            System.out.println("READY " + run.runId());
            System.out.flush();
            while (true) {
                run.logMetric("progress", 1.0, 0);
                Thread.sleep(20);
            }
        });
    }
}
