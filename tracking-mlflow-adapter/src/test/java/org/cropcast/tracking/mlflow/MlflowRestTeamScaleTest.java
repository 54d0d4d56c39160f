package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team scale: an {@code mlflow server} with a PostgreSQL backend store (Debian's PostgreSQL,
 * started here) and an S3 artifact root (the S3 adapter's S3-compatible test server), written to
 * by concurrent cropcast processes at once: zero failures, every run FINISHED with every metric and
 * param, every artifact present. {@code cropcast.team.processes} processes (default 16).
 */
class MlflowRestTeamScaleTest {
    private final S3MockServer s3 = S3MockServer.shared();

    @TempDir
    Path dir;

    @Test
    void concurrentProcessesOnAPostgresBackedServerWithAnS3Root() throws Exception {
        int processes = Integer.getInteger("cropcast.team.processes", 16);
        String bucket = s3.createBucket("team");
        try (PostgresProcess postgres = PostgresProcess.start(dir.resolve("pg"));
                MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).workers(2)
                        .backendStoreUri(postgres.mlflowBackendUri()).serveArtifacts(false)
                        .extraArgs("--default-artifact-root", "s3://" + bucket + "/team").environment(s3.environment()).start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                Path log = dir.resolve("worker-" + i + ".log");
                ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                        MlflowTeamWorkloadMain.class.getName(), server.trackingUri(), Integer.toString(i), dir.resolve("work").toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(s3.environment());
                children.add(builder.start());
                logs.add(log);
            }
            for (int i = 0; i < processes; i++) {
                assertThat(children.get(i).waitFor(10, TimeUnit.MINUTES)).isTrue();
                assertThat(children.get(i).exitValue()).as(Files.readString(logs.get(i), UTF_8)).isZero();
            }

            RunStore store = MlflowRestRunStore.open(server.trackingUri(), MlflowRestSettings.defaults());
            Experiment experiment = store.findExperiment("team-scale").orElseThrow();
            List<Run> runs = store.searchRuns(new RunSearch(experiment.id(), Optional.empty(), 1000));
            assertThat(runs).hasSize(processes).allSatisfy(run -> {
                assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
                assertThat(run.info().artifactUri()).startsWith("s3://" + bucket + "/team/");
                assertThat(run.data().params()).hasSize(9);
                assertThat(run.data().tags()).containsKey("cropcast.tag19");
            });
            StorageArtifactStore artifacts = new StorageArtifactStore(s3.storage());
            Map<String, Integer> files = new HashMap<>();
            for (Run run : runs) {
                assertThat(store.getMetricHistory(run.id(), "rmse")).hasSize(MlflowTeamWorkloadMain.METRICS);
                int count = countFiles(artifacts, run.info().artifactUri(), "");
                files.put(run.info().runName(), count);
            }
            assertThat(files.values()).allSatisfy(count -> assertThat(count).isEqualTo(MlflowTeamWorkloadMain.ARTIFACTS));
        }
    }

    private static int countFiles(StorageArtifactStore artifacts, String root, String path) {
        int count = 0;
        for (ArtifactEntry entry : artifacts.list(root, path)) {
            count += entry.directory() ? countFiles(artifacts, root, entry.path()) : 1;
        }
        return count;
    }
}
