package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team scale, all real: the pinned Python {@code mlflow server} with a PostgreSQL backend store
 * (a cluster of Debian's PostgreSQL started by the test) and an S3 artifact root on the
 * S3-compatible server ({@code --no-serve-artifacts}: cropcast uploads straight to S3), and many
 * concurrent {@code cropcast run hindcast} processes against it: no failure, every run FINISHED
 * with every metric row, param and artifact, the rows really in PostgreSQL and the files really in
 * the bucket. Short by default (4 processes); {@code -Dcropcast.proof.long=true} runs 16.
 */
class TeamScaleTest {
    @TempDir
    Path dir;

    @Test
    void concurrentPipelinesAgainstMlflowServerOnPostgresqlWithAnS3ArtifactRoot() throws Exception {
        int processes = Proof.size(4, 16);
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket("team-scale");
        try (PostgresCluster postgres = PostgresCluster.start();
                MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server"))
                        .backendStoreUri(postgres.uri())
                        .serveArtifacts(false)
                        .extraArgs("--default-artifact-root", "s3://" + bucket + "/mlartifacts")
                        .environment(s3.environment())
                        .workers(2)
                        .start()) {
            Path data = dir.resolve("data");
            Path config = DemoDataGenerator.write(data, 42);
            List<String> args = List.of("run", "hindcast", "--config", config.toString(), "--no-progress",
                    "--set", "feature_start_year=2008", "--set", "mlflow_tracking_uri=" + server.trackingUri());
            Map<String, String> env = new LinkedHashMap<>(s3.environment());
            List<RunId> ids = Proof.runAloneThenConcurrently(data, dir.resolve("logs"), env, args, processes,
                    () -> "\n--- server ---\n" + server.logTail());

            // the rows are in PostgreSQL itself, not in some fallback store
            assertThat(postgres.query("SELECT status, COUNT(*) FROM runs GROUP BY status")).containsExactly("FINISHED|" + (processes + 1));
            assertThat(postgres.query("SELECT COUNT(DISTINCT run_uuid) FROM metrics")).containsExactly(Integer.toString(processes + 1));

            try (RunStore store = new CliHarness(env).injector().getInstance(RunStoreFactory.class).create(server.trackingUri())) {
                assertThat(store.getRun(ids.get(0)).orElseThrow().info().artifactUri()).startsWith("s3://" + bucket + "/mlartifacts/");
                Proof.assertAllCompleteLikeTheFirst(store, ids, uri -> RunShape.s3Artifacts(s3.client(), uri));
            }
        }
    }
}
