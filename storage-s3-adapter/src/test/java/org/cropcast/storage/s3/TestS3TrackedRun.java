package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cropcast.storage.s3.TestS3StorageFaults.randomBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cropcast.tracking.BoundedParams;
import org.cropcast.tracking.EnvironmentInfo;
import org.cropcast.tracking.GitInfo;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.MutableClock;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.RunRequest;
import org.cropcast.tracking.RunScope;
import org.cropcast.tracking.RunScopeSettings;
import org.cropcast.tracking.SerializingDocumentWriter;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.SwitchingStorage;
import org.cropcast.tracking.TrackedRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * QA mode at the tracking layer: the data root, the run directory and the artifact root on S3
 * (core's {@link RunScope} over {@link S3Storage}). The run files are written to S3, artifacts
 * land under the run's artifact root, an {@code s3://} dataset reaches an S3 root by server-side
 * copy (client bytes counted by the proxy), and reaches a local root through a staging directory
 * that is gone afterwards.
 */
class TestS3TrackedRun {
    private static final S3MockServer SERVER = S3MockServer.shared();
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path temp;

    private FaultInjectingProxy proxy;
    private S3Storage s3;
    private SwitchingStorage storage;
    private String bucket;
    private Location dataRoot;
    private byte[] features;

    @BeforeEach
    void start() {
        bucket = SERVER.createBucket("qa");
        proxy = FaultInjectingProxy.start(SERVER.endpoint());
        s3 = SERVER.storage(SERVER.config().withEndpoint(proxy.endpoint()));
        storage = new SwitchingStorage(Map.of("file", new LocalStorage(), "s3", s3));
        dataRoot = Location.of("s3://" + bucket + "/inputs");
        features = randomBytes((int) (6 * MIB), 21);
        SERVER.client().putObject(b -> b.bucket(bucket).key("inputs/features/part-0.parquet"), RequestBody.fromBytes(features));
        SERVER.client().putObject(b -> b.bucket(bucket).key("inputs/features/schema.json"), RequestBody.fromString("{}"));
    }

    @AfterEach
    void stop() {
        s3.close();
        proxy.close();
    }

    @Test
    void runFilesAndArtifactsLiveOnS3AndAnS3DatasetIsCopiedServerSide() throws IOException {
        MemoryRunStore runStore = new MemoryRunStore(new MutableClock(1_750_000_000_000L), new SplittableRandom(1),
                "s3://" + bucket + "/mlartifacts");
        Location runDir = dataRoot.resolve("runs/2026-11-26T09-00-00");
        Path report = Files.writeString(temp.resolve("summary.csv"), "fold,rmse\n2019,0.42\n");

        try (TrackedRun run = scope(runStore).open(request(runDir))) {
            assertThat(run.artifactUri()).startsWith("s3://" + bucket + "/mlartifacts/");
            proxy.resetCounters();
            run.logArtifact(dataRoot.resolve("features"), "inputs");
            assertThat(proxy.bytesTransferred()).as("no object bytes through cropcast").isLessThan(64 * 1024);
            run.logArtifact(report, "reports");
            run.finish();

            String artifactPrefix = Location.of(run.artifactUri()).key() + "/";
            assertThat(keys(artifactPrefix)).containsExactlyInAnyOrder(
                    artifactPrefix + "config_resolved.yaml", artifactPrefix + "metadata.yaml",
                    artifactPrefix + "inputs/features/part-0.parquet", artifactPrefix + "inputs/features/schema.json",
                    artifactPrefix + "reports/summary.csv");
            assertThat(SERVER.client().getObjectAsBytes(b -> b.bucket(bucket).key(artifactPrefix + "inputs/features/part-0.parquet"))
                    .asByteArray()).isEqualTo(features);
        }
        assertThat(keys(runDir.key() + "/")).contains(runDir.key() + "/metadata_hindcast.yaml",
                runDir.key() + "/metadata.yaml", runDir.key() + "/config_resolved.yaml");
        Map<String, Object> record = new SerializingDocumentWriter().read(storage, runDir.resolve("metadata_hindcast.yaml"));
        assertThat(record).containsKey("mlflow_run_id");
        assertThat(record.toString()).doesNotContain(S3MockServer.SECRET_KEY);
    }

    @Test
    void anS3DatasetLoggedToALocalArtifactRootIsStagedAndTheStagingDirectoryRemoved() throws IOException {
        MemoryRunStore runStore = new MemoryRunStore(new MutableClock(1_750_000_000_000L), new SplittableRandom(2),
                temp.resolve("mlruns").toUri().toString());
        List<Path> stagingBefore = stagingDirectories();
        Path artifactRoot;
        try (TrackedRun run = scope(runStore).open(request(dataRoot.resolve("runs/local-root")))) {
            run.logArtifact(dataRoot.resolve("features"), "inputs");
            run.logArtifact(dataRoot.resolve("features/schema.json"), "inputs/single");
            run.finish();
            artifactRoot = Location.of(run.artifactUri()).localPath();
        }
        assertThat(Files.readAllBytes(artifactRoot.resolve("inputs/features/part-0.parquet"))).isEqualTo(features);
        assertThat(artifactRoot.resolve("inputs/single/schema.json")).hasContent("{}");
        assertThat(stagingDirectories()).containsExactlyInAnyOrderElementsOf(stagingBefore);
    }

    private RunScope scope(MemoryRunStore runStore) {
        StorageArtifactStore artifacts = new StorageArtifactStore(storage);
        return new RunScope(runStore, new SwitchingArtifactStore(Map.of("file", artifacts, "s3", artifacts)), storage,
                new SerializingDocumentWriter(), new MutableClock(1_750_000_000_000L),
                new RunScopeSettings("qa", "sqlite:///mlruns.db", Duration.ofHours(1), false,
                        EnvironmentInfo.current(Map.of()), GitInfo.unknown()));
    }

    private RunRequest request(Location runDir) {
        BoundedParams params = new BoundedParams(42, dataRoot.toString(), 2001, 2020, "soy-brazil", "soy_br_v1",
                "linear", "ridge", 0.9);
        return RunRequest.of("hindcast", "soy-brazil", runDir, dataRoot.resolve("configs/soy.yaml").toString(),
                Map.of("experiment_name", "soy-brazil", "data_root", dataRoot.toString()), params, RunMode.CREATE, List.of());
    }

    private List<String> keys(String prefix) {
        return SERVER.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static List<Path> stagingDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("cropcast-s3-stage-")).toList();
        }
    }
}
