package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.SyncEndpoint;
import org.cropcast.tracking.sync.SyncReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's sync contract from the embedded SQLite store (local artifacts) to a team server as the
 * team-scale tests start it: {@code mlflow server} (the pinned 3.17.2) with a PostgreSQL backend
 * store and an S3 artifact root (the S3 adapter's S3-compatible test server). One server for the
 * class; each test uses experiments of its own. Beyond the contract: the pinned Python client sees
 * each copy exactly as it sees the original, and S3-to-S3 artifacts are copied inside S3.
 */
class SqliteToMlflowServerSyncTest extends AbstractSqliteSourceSyncTest {
    private static final S3MockServer S3 = S3MockServer.shared();
    private static PostgresProcess postgres;
    private static MlflowServerProcess server;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startServer() throws Exception {
        String bucket = S3.createBucket("sync-team");
        postgres = PostgresProcess.start(shared.resolve("pg"));
        server = MlflowServerProcess.builder(shared.resolve("server")).workers(2)
                .backendStoreUri(postgres.mlflowBackendUri()).serveArtifacts(false)
                .extraArgs("--default-artifact-root", "s3://" + bucket + "/team").environment(S3.environment()).start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected String experimentName(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    protected SyncEndpoint newSource() {
        return sqlite(Optional.empty());
    }

    private SyncEndpoint sqlite(Optional<String> artifactRoot) {
        String uri = "sqlite:///" + work.resolve("node-" + UUID.randomUUID()).resolve("mlruns.db");
        SqliteRunStore store = SqliteRunStore.open(SqliteTrackingUri.parse(uri), artifactRoot, Duration.ofSeconds(30), clock,
                new SplittableRandom());
        return new SyncEndpoint(uri, store, new StorageArtifactStore(artifactRoot.isPresent() ? S3.storage() : new LocalStorage()),
                SqliteModelStore.beside(store, clock, new SplittableRandom()));
    }

    @Override
    protected SyncEndpoint newDestination() {
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        RunStore runs = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        return new SyncEndpoint(server.trackingUri(), runs, new StorageArtifactStore(S3.storage()),
                new MlflowRestModelStoreFactory(connections).create(server.trackingUri(), runs));
    }

    @Test
    void thePythonClientSeesEachCopyExactlyAsTheOriginal() throws Exception {
        Seeded seeded = seed();
        SyncReport report = sync(all());
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        for (RunSyncResult run : report.runs()) {
            List<String> original = PythonRunDump.of(source.uri(), run.sourceRunId(), S3.environment());
            List<String> copy = PythonRunDump.of(server.trackingUri(), run.destinationRunId().orElseThrow(), S3.environment());
            // a credential in a tag is masked in the copy: the one line allowed to differ, and how
            original.replaceAll(line -> line.replace("https://bob:hunter2@", "https://***@"));
            assertThat(copy).as(run.runName()).isEqualTo(original);
        }
        List<String> parent = PythonRunDump.of(server.trackingUri(), copyOf(seeded.parent()).orElseThrow().id(), S3.environment());
        assertThat(parent).filteredOn(line -> line.startsWith("history loss ")).hasSize(LONG_HISTORY);
        // MLflow's SQL stores keep infinities as the largest finite doubles; both sides read them back so
        assertThat(parent).contains("history odd 0 " + (T0 + 1) + " nan", "history odd 1 " + (T0 + 2) + " 1.7976931348623157e+308",
                "history odd 2 " + (T0 + 3) + " -1.7976931348623157e+308", "history odd -3 " + (T0 + 5) + " -0.25");
        List<String> child = PythonRunDump.of(server.trackingUri(), copyOf(seeded.child()).orElseThrow().id(), S3.environment());
        assertThat(child).contains("parent parent-run", "info child-run alice FAILED " + (T0 + 1_000) + " " + (T0 + 2_000) + " active");
    }

    @Test
    void artifactsFromAnS3RootAreCopiedInsideS3() throws Exception {
        source.runs().close();
        source = sqlite(Optional.of("s3://" + S3.createBucket("sync-node") + "/node"));
        Seeded seeded = seed();
        SyncReport report = sync(all());
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.artifactFiles()).isEqualTo(4);
        assertThat(report.runs()).allSatisfy(r -> assertThat(r.filesCopiedInStorage()).isEqualTo(r.artifactFiles()));
        for (RunId id : List.of(seeded.parent(), seeded.child())) {
            assertCopied(id);
        }
    }

    @Override
    protected Map<String, String> destinationEnvironment() {
        return S3.environment();
    }
}
