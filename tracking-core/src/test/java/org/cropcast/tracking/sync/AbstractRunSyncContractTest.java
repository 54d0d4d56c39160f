package org.cropcast.tracking.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelUri;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.LifecycleStage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.MutableClock;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunHealth;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.sync.RunSyncResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link RunSync} between two backends, through the ports alone. Shipped in core's
 * test-jar; the memory, SQLite and MLflow-server pairs extend it. Source runs are written through
 * the source's ports; every assertion reads both sides back through theirs and compares field by
 * field and byte by byte.
 */
public abstract class AbstractRunSyncContractTest {
    protected static final long T0 = 1_700_000_000_000L;
    protected static final int LONG_HISTORY = 2_500;

    protected final MutableClock clock = new MutableClock(T0 + Duration.ofHours(2).toMillis());
    protected SyncEndpoint source;
    protected SyncEndpoint destination;
    /** The two experiments {@link #seed} fills ({@link #experimentName}). */
    protected String expA;
    protected String expB;

    @TempDir
    protected Path work;

    /** A fresh, empty backend to sync from. */
    protected abstract SyncEndpoint newSource() throws Exception;

    /** A fresh, empty backend to sync to. */
    protected abstract SyncEndpoint newDestination() throws Exception;

    /**
     * The name of a test experiment; a destination shared by several tests (a long-lived server)
     * makes it unique per test. The default is the name itself.
     */
    protected String experimentName(String name) {
        return name;
    }

    @BeforeEach
    public final void openEndpoints() throws Exception {
        expA = experimentName("sync-a");
        expB = experimentName("sync-b");
        source = newSource();
        destination = newDestination();
    }

    @AfterEach
    public final void closeEndpoints() {
        source.models().ifPresent(ModelStore::close);
        destination.models().ifPresent(ModelStore::close);
        source.runs().close();
        destination.runs().close();
    }

    // ---- what the source holds ----

    /** The runs {@link #seed} makes. */
    protected record Seeded(RunId parent, RunId child, RunId running, RunId other) {}

    /**
     * Experiment "sync-a": a FINISHED parent (params, a tag with a credential, a 2,500-point history,
     * NaN and infinities, one step logged twice, nested and binary artifacts), a FAILED child, a
     * RUNNING run with a fresh heartbeat; experiment "sync-b": one more run.
     */
    protected Seeded seed() throws IOException {
        Experiment a = source.runs().getOrCreateExperiment(expA);
        RunId parent = source.runs().createRun(new CreateRunRequest(a.id(), "parent-run", "alice", T0,
                List.of(new Tag("team", "agronomy")))).runId();
        List<Metric> loss = new ArrayList<>();
        for (int i = 0; i < LONG_HISTORY; i++) {
            loss.add(new Metric("loss", 1.0 / (i + 1), T0 + 10 + i, i));
        }
        for (int i = 0; i < loss.size(); i += 1000) {
            source.runs().logBatch(parent, loss.subList(i, Math.min(loss.size(), i + 1000)), List.of(), List.of());
        }
        source.runs().logBatch(parent, List.of(
                        new Metric("odd", Double.NaN, T0 + 1, 0),
                        new Metric("odd", Double.POSITIVE_INFINITY, T0 + 2, 1),
                        new Metric("odd", Double.NEGATIVE_INFINITY, T0 + 3, 2),
                        new Metric("odd", 4.5, T0 + 4, 2),
                        new Metric("odd", -0.25, T0 + 5, -3)),
                List.of(new Param("lr", "0.1"), new Param("layers", "3")),
                List.of(new Tag("notes", "first try"), new Tag("endpoint", "https://bob:hunter2@data.example.com/panel")));
        logArtifact(source, parent, "model/weights.bin", randomBytes(300_001, 1));
        logArtifact(source, parent, "report.txt", "rmse 0.31\n".getBytes(StandardCharsets.UTF_8));
        logArtifact(source, parent, "plots/deep/er/fold 1.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        source.runs().endRun(parent, RunStatus.FINISHED, T0 + 50_000);

        RunId child = source.runs().createRun(new CreateRunRequest(a.id(), "child-run", "alice", T0 + 1_000,
                List.of(new Tag(SyncTags.PARENT_RUN_ID, parent.value())))).runId();
        source.runs().logBatch(child, List.of(new Metric("rmse", 0.5, T0 + 1_001, 0)), List.of(new Param("fold", "1")), List.of());
        logArtifact(source, child, "fold.txt", "fold 1".getBytes(StandardCharsets.UTF_8));
        source.runs().endRun(child, RunStatus.FAILED, T0 + 2_000);

        RunId running = source.runs().createRun(new CreateRunRequest(a.id(), "live-run", "carol", T0 + 3_000, List.of())).runId();
        source.runs().logBatch(running, List.of(new Metric("progress", 0.25, T0 + 3_001, 1)), List.of(),
                List.of(new Tag(RunTags.HEARTBEAT, Long.toString(clock.millis()))));

        Experiment b = source.runs().getOrCreateExperiment(expB);
        RunId other = source.runs().createRun(new CreateRunRequest(b.id(), "other-run", "dave", T0 + 4_000, List.of())).runId();
        source.runs().logBatch(other, List.of(new Metric("x", 1, T0 + 4_001, 0)), List.of(new Param("p", "v")), List.of());
        source.runs().endRun(other, RunStatus.FINISHED, T0 + 5_000);
        return new Seeded(parent, child, running, other);
    }

    protected void logArtifact(SyncEndpoint side, RunId run, String path, byte[] content) throws IOException {
        Path file = work.resolve("upload-" + System.nanoTime()).resolve(path.substring(path.lastIndexOf('/') + 1));
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        int slash = path.lastIndexOf('/');
        side.artifacts().logFile(info(side, run).artifactUri(), file, slash < 0 ? "" : path.substring(0, slash));
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    // ---- syncing ----

    protected SyncReport sync(SyncRequest request) {
        return sync(source, destination, request);
    }

    protected SyncReport sync(SyncEndpoint from, SyncEndpoint to, SyncRequest request) {
        return new RunSync(from, to, clock, SyncListener.NONE).sync(request);
    }

    protected static SyncRequest all() {
        return SyncRequest.everything();
    }

    /** The destination wrapped so every write is counted (model store writes count in {@code runs.writes}). */
    protected SyncEndpoint counted(CountingRunStore runs, CountingArtifactStore artifacts) {
        return counted(destination, runs, artifacts);
    }

    protected static SyncEndpoint counted(SyncEndpoint side, CountingRunStore runs, CountingArtifactStore artifacts) {
        return side.with(runs, artifacts, side.models().map(m -> CountingModelStore.wrap(m, runs.writes)));
    }

    // ---- the contract ----

    @Test
    public void fullCopyIsEqualFieldByFieldAndByteByByte() throws IOException {
        Seeded seeded = seed();
        SyncReport report = sync(all());

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.CREATED).hasSize(4);
        assertThat(report.runs().get(0).sourceRunId()).as("parents first").isEqualTo(seeded.parent());
        assertThat(report.metricPoints()).isEqualTo(LONG_HISTORY + 5 + 1 + 1 + 1);
        assertThat(report.artifactBytes()).isEqualTo(300_001 + 10 + 8 + 6);
        for (RunId id : List.of(seeded.parent(), seeded.child(), seeded.running(), seeded.other())) {
            assertCopied(id);
        }
        Run child = copyOf(seeded.child()).orElseThrow();
        assertThat(child.data().tags().get(SyncTags.PARENT_RUN_ID)).isEqualTo(copyOf(seeded.parent()).orElseThrow().id().value());
        assertThat(destination.runs().findExperiment(expB)).isPresent();
    }

    @Test
    public void parallelSyncCopiesEachRunOnceParentsFirstAndASecondOneWritesNothing() throws IOException {
        Seeded seeded = seed();
        SyncReport report = sync(all().withParallelism(4));
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.CREATED).hasSize(4);
        for (RunId id : List.of(seeded.parent(), seeded.child(), seeded.running(), seeded.other())) {
            assertCopied(id);
        }
        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());
        SyncReport second = sync(source, counted(runs, artifacts), all().withParallelism(4));
        assertThat(second.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
        assertThat(runs.writes).hasValue(0);
        assertThat(artifacts.uploads).hasValue(0);
        assertThat(destinationRuns(expA)).hasSize(3);
    }

    @Test
    public void identityTagsOnBothSidesAndNoCredentialInAnyCopy() throws IOException {
        Seeded seeded = seed();
        SyncEndpoint withCredentials = new SyncEndpoint("https://alice:s3cret@tracking.example.com/", source.runs(), source.artifacts(),
                source.models());
        SyncReport report = sync(withCredentials, destination, new SyncRequest(List.of(), List.of(seeded.parent()), false, false,
                RunHealth.DEFAULT_STALE_AFTER));
        assertThat(report.succeeded()).as(report.toString()).isTrue();

        Run copy = copyOf(seeded.parent()).orElseThrow();
        assertThat(copy.data().tags())
                .containsEntry(SyncTags.SOURCE_RUN_ID, seeded.parent().value())
                .containsEntry(SyncTags.SOURCE_BACKEND, withCredentials.fingerprint())
                .containsEntry(SyncTags.SOURCE_URI, "https://***@tracking.example.com")
                .containsKey(SyncTags.SOURCE_DIGEST)
                .containsEntry("endpoint", "https://***@data.example.com/panel");
        assertThat(copy.data().tags().values()).noneMatch(v -> v.contains("s3cret") || v.contains("hunter2"));
        Run original = source.runs().getRun(seeded.parent()).orElseThrow();
        assertThat(original.data().tags())
                .containsEntry(SyncTags.syncedTo(destination.fingerprint()), copy.id().value() + " " + destination.display());
    }

    @Test
    public void secondSyncWritesNothingAtTheDestination() throws IOException {
        seed();
        assertThat(sync(all()).succeeded()).isTrue();
        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());

        SyncReport second = sync(source, counted(runs, artifacts), all());

        assertThat(second.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED).hasSize(4);
        assertThat(second.metricPoints()).isZero();
        assertThat(second.artifactBytes()).isZero();
        assertThat(runs.writes).hasValue(0);
        assertThat(artifacts.uploads).hasValue(0);
        assertThat(artifacts.directCopies).hasValue(0);
        assertThat(second.runs()).extracting(RunSyncResult::filesCopiedInStorage).containsOnly(0);
        assertThat(destinationRuns(expA)).hasSize(3);
    }

    @Test
    public void syncingTheCopiesBackCreatesNothing() throws IOException {
        Seeded seeded = seed();
        sync(all());
        CountingRunStore runs = new CountingRunStore(source.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(source.artifacts());

        SyncReport back = sync(destination, counted(source, runs, artifacts), all().withExperiments(List.of(expA, expB)));

        assertThat(back.succeeded()).as(back.toString()).isTrue();
        assertThat(back.metricPoints()).isZero();
        assertThat(back.artifactBytes()).isZero();
        assertThat(artifacts.uploads).hasValue(0);
        assertThat(source.runs().searchRuns(RunSearch.all(source.runs().findExperiment(expA).orElseThrow().id()))).hasSize(3);
        assertThat(back.runs()).extracting(r -> r.destinationRunId().orElseThrow())
                .containsExactlyInAnyOrder(seeded.parent(), seeded.child(), seeded.running(), seeded.other());
    }

    @Test
    public void incrementalAfterTheSourceRunIsResumed() throws IOException {
        Seeded seeded = seed();
        sync(all());
        source.runs().reopenRun(seeded.parent());
        source.runs().logBatch(seeded.parent(), List.of(new Metric("loss", 0.0001, T0 + 90_000, LONG_HISTORY),
                new Metric("new_key", 7, T0 + 90_001, 0)), List.of(new Param("resumed", "yes")), List.of(new Tag("notes", "second try")));
        logArtifact(source, seeded.parent(), "model/weights-2.bin", randomBytes(1_234, 2));
        source.runs().endRun(seeded.parent(), RunStatus.KILLED, T0 + 99_000);
        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());

        SyncReport report = sync(source, counted(runs, artifacts), all());

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        RunSyncResult parent = result(report, seeded.parent());
        assertThat(parent.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(parent.metricPoints()).isEqualTo(2);
        assertThat(parent.params()).isEqualTo(1);
        assertThat(parent.artifactFiles()).isEqualTo(1);
        assertThat(parent.artifactBytes()).isEqualTo(1_234);
        assertThat(runs.metricRows).hasValue(2);
        assertThat(artifacts.uploads.get() + artifacts.directCopies.get()).isEqualTo(1);
        assertThat(report.runs()).filteredOn(r -> !r.sourceRunId().equals(seeded.parent()))
                .extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
        assertCopied(seeded.parent());
        assertThat(copyOf(seeded.parent()).orElseThrow().info().status()).isEqualTo(RunStatus.KILLED);
    }

    @Test
    public void aResumedSourceRunReopensItsEndedCopy() throws IOException {
        Seeded seeded = seed();
        sync(all());
        source.runs().reopenRun(seeded.child());
        SyncReport report = sync(all());
        assertThat(result(report, seeded.child()).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(copyOf(seeded.child()).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    public void aConflictingParamIsRefusedForThatRunAndTheRestGoesOn() throws IOException {
        Seeded seeded = seed();
        sync(all());
        RunId copy = copyOf(seeded.child()).orElseThrow().id();
        destination.runs().logBatch(copy, List.of(), List.of(new Param("seed", "42")), List.of());
        source.runs().reopenRun(seeded.child());
        source.runs().logBatch(seeded.child(), List.of(new Metric("rmse", 0.4, T0 + 9_000, 1)), List.of(new Param("seed", "7")), List.of());
        source.runs().endRun(seeded.child(), RunStatus.FINISHED, T0 + 9_500);
        source.runs().logBatch(seeded.other(), List.of(new Metric("x", 2, T0 + 9_001, 1)), List.of(), List.of());

        SyncReport report = sync(all());

        assertThat(report.succeeded()).isFalse();
        RunSyncResult child = result(report, seeded.child());
        assertThat(child.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(child.problems()).singleElement().asString().contains("'seed'", "'7'", "'42'");
        assertThat(child.metricPoints()).as("the rest of the run is copied").isEqualTo(1);
        Run copied = copyOf(seeded.child()).orElseThrow();
        assertThat(copied.data().params()).containsEntry("seed", "42");
        assertThat(copied.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(result(report, seeded.other()).outcome()).isEqualTo(Outcome.UPDATED);
        assertCopied(seeded.other());
        // reported again on the next sync: the conflict is not marked as done
        assertThat(result(sync(all()), seeded.child()).outcome()).isEqualTo(Outcome.CONFLICT);
    }

    @Test
    public void aChildSelectedAlonePullsInItsParent() throws IOException {
        Seeded seeded = seed();
        SyncReport report = sync(new SyncRequest(List.of(), List.of(seeded.child()), false, false, RunHealth.DEFAULT_STALE_AFTER));
        assertThat(report.runs()).extracting(RunSyncResult::sourceRunId).containsExactly(seeded.parent(), seeded.child());
        assertThat(copyOf(seeded.child()).orElseThrow().data().tags().get(SyncTags.PARENT_RUN_ID))
                .isEqualTo(copyOf(seeded.parent()).orElseThrow().id().value());
    }

    @Test
    public void experimentSelectionSyncsOnlyThatExperiment() throws IOException {
        Seeded seeded = seed();
        SyncReport report = sync(all().withExperiments(List.of(expB)));
        assertThat(report.runs()).extracting(RunSyncResult::sourceRunId).containsExactly(seeded.other());
        assertThat(destination.runs().findExperiment(expA)).isEmpty();
    }

    @Test
    public void unknownExperimentOrRunFailsBeforeWritingAnything() throws IOException {
        seed();
        assertThatThrownBy(() -> sync(all().withExperiments(List.of("no-such"))))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.EXPERIMENT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("'no-such'");
                });
        assertThatThrownBy(() -> sync(all().withRuns(List.of(RunId.of("0123456789abcdef0123456789abcdef")))))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND));
        assertThat(destination.runs().findExperiment(expA)).isEmpty();
    }

    @Test
    public void dryRunReportsWhatWouldBeCopiedAndWritesNothing() throws IOException {
        Seeded seeded = seed();
        SyncReport report = sync(all().withDryRun(true));
        assertThat(report.dryRun()).isTrue();
        assertThat(report.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.CREATED).hasSize(4);
        assertThat(report.metricPoints()).isEqualTo(LONG_HISTORY + 8);
        assertThat(report.artifactBytes()).isEqualTo(300_025);
        assertThat(result(report, seeded.child()).problems()).isEmpty();
        assertThat(destination.runs().findExperiment(expA)).isEmpty();
        assertThat(source.runs().getRun(seeded.parent()).orElseThrow().data().tags()).doesNotContainKey(SyncTags.syncedTo(destination.fingerprint()));
    }

    @Test
    public void killedInTheMiddleOfAMetricHistoryThenRestartedCompletesWithoutDuplicates() throws IOException {
        Seeded seeded = seed();
        CountingRunStore dying = new CountingRunStore(destination.runs(), 1);
        assertThatThrownBy(() -> sync(source, destination.with(dying, destination.artifacts(), destination.models()), all()))
                .isInstanceOf(SimulatedKill.class);
        Run partial = copyOf(seeded.parent()).orElseThrow();
        assertThat(partial.info().status()).as("the copy is not ended before it is complete").isEqualTo(RunStatus.RUNNING);
        assertThat(partial.data().tags()).doesNotContainKey(SyncTags.SOURCE_DIGEST);
        int written = dying.metricRows.get();
        assertThat(written).as("one whole batch was written before the kill").isBetween(1, LONG_HISTORY - 1);
        assertThat(destination.runs().getMetricHistory(partial.id(), "loss")).hasSize(written);

        SyncReport restarted = sync(all());

        assertThat(restarted.succeeded()).as(restarted.toString()).isTrue();
        assertThat(result(restarted, seeded.parent()).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(result(restarted, seeded.parent()).metricPoints()).isEqualTo(LONG_HISTORY + 5 - written);
        assertThat(destinationRuns(expA)).hasSize(3);
        assertCopied(seeded.parent());
    }

    @Test
    public void killedInTheMiddleOfAnUploadLeavesNoPartialArtifactAndRestartCompletes() throws IOException {
        Seeded seeded = seed();
        CountingArtifactStore dyingSource = new CountingArtifactStore(source.artifacts(), 100_000);
        SyncEndpoint from = source.with(source.runs(), dyingSource, source.models());
        assertThatThrownBy(() -> sync(from, destination, all())).isInstanceOf(SimulatedKill.class);
        Run partial = copyOf(seeded.parent()).orElseThrow();
        Map<String, Long> visible = files(destination, partial.info().artifactUri());
        assertThat(visible).doesNotContainKey("model/weights.bin");
        assertThat(visible.values()).as("every visible file is whole").allSatisfy(size -> assertThat(size).isLessThan(100_000L));

        SyncReport restarted = sync(all());

        assertThat(restarted.succeeded()).as(restarted.toString()).isTrue();
        assertThat(destinationRuns(expA)).hasSize(3);
        assertCopied(seeded.parent());
    }

    @Test
    public void aStaleRunIsSyncedAsItIsAndFlagged() throws IOException {
        Seeded seeded = seed();
        clock.advance(Duration.ofHours(1));
        SyncReport report = sync(all());
        RunSyncResult running = result(report, seeded.running());
        assertThat(running.stale()).isTrue();
        assertThat(running.finalized()).isFalse();
        assertThat(report.staleRuns()).isEqualTo(1);
        assertThat(copyOf(seeded.running()).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(source.runs().getRun(seeded.running()).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    public void finalizeStaleEndsStaleRunsKilledOnBothSides() throws IOException {
        Seeded seeded = seed();
        long heartbeat = clock.millis();
        clock.advance(Duration.ofHours(1));
        SyncReport report = sync(all().withFinalizeStale(true));
        RunSyncResult running = result(report, seeded.running());
        assertThat(running.stale()).isTrue();
        assertThat(running.finalized()).isTrue();
        RunInfo original = info(source, seeded.running());
        assertThat(original.status()).isEqualTo(RunStatus.KILLED);
        assertThat(original.endTimeMillis()).contains(heartbeat);
        RunInfo copy = copyOf(seeded.running()).orElseThrow().info();
        assertThat(copy.status()).isEqualTo(RunStatus.KILLED);
        assertThat(copy.endTimeMillis()).contains(heartbeat);
        assertThat(result(report, seeded.parent()).finalized()).isFalse();
    }

    @Test
    public void aSourceRunDeletedAfterItsSyncHasItsCopyDeletedToo() throws IOException {
        Seeded seeded = seed();
        sync(all());
        RunId copy = copyOf(seeded.other()).orElseThrow().id();
        source.runs().deleteRun(seeded.other());

        SyncReport report = sync(all().withRuns(List.of(seeded.other())));

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.runs().get(0).destinationRunId()).contains(copy);
        Run copied = destination.runs().getRun(copy).orElseThrow();
        assertThat(copied.info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(copied.data().params()).containsEntry("p", "v");
        assertThat(sync(all().withRuns(List.of(seeded.other()))).runs().get(0).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    public void aSourceRunDeletedBeforeAnySyncIsRefusedNamingWhy() throws IOException {
        Seeded seeded = seed();
        source.runs().deleteRun(seeded.other());
        SyncReport report = sync(all().withRuns(List.of(seeded.other())));
        assertThat(report.runs().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.runs().get(0).problems()).singleElement().asString().contains("deleted at the source");
        assertThat(destination.runs().findExperiment(expB)).isEmpty();
    }

    @Test
    public void sameBackendOnBothSidesIsRefused() {
        assertThatThrownBy(() -> new RunSync(source, new SyncEndpoint(source.uri(), destination.runs(), destination.artifacts()),
                clock, SyncListener.NONE))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT));
    }

    // ---- lineage: dataset inputs, logged models, the registry ----

    protected static final Dataset TARGET = new Dataset("target", "0123456789abcdef0123456789abcdef", "local",
            "{\"uri\": \"/data/target.csv\"}", Optional.of("{\"mlflow_colspec\": []}"), Optional.of("{\"num_rows\": 12}"));
    protected static final Dataset FEATURES = new Dataset("features", "fedcba9876543210fedcba9876543210", "s3",
            "{\"uri\": \"s3://bucket/features.csv\"}", Optional.empty(), Optional.empty());

    /** What {@link #seedLineage} makes at the source. */
    protected record Lineage(RunId training, ModelId model, RunId forecast, String registered) {}

    /**
     * Experiment "sync-a": a training run with two dataset inputs that produced a READY logged model
     * (params, tags with a credential, a metric on its dataset, an MLmodel naming its ids, a binary
     * file), registered as version 1 with alias {@code champion}; and a forecast run, started
     * <em>earlier</em> (so it is listed first), that read the model and an evaluation dataset.
     */
    protected Lineage seedLineage() throws IOException {
        ModelStore models = source.models().orElseThrow();
        Experiment a = source.runs().getOrCreateExperiment(expA);
        RunId training = source.runs().createRun(new CreateRunRequest(a.id(), "fit-production", "alice", T0 + 100, List.of())).runId();
        models.logInputs(training, List.of(DatasetInput.withContext(TARGET, "training"), DatasetInput.withContext(FEATURES, "training")),
                List.of());
        LoggedModel model = models.createLoggedModel(new LoggedModelRequest(a.id(), "production", Optional.of(training),
                Optional.of("cropcast"), Map.of("learner", "ridge", "alpha", "0.5"),
                Map.of("cropcast.stage", "fit-production", "endpoint", "https://bob:hunter2@data.example.com/panel")));
        logFile(source, model.artifactLocation(), LineageSync.MLMODEL, mlmodel(model.artifactLocation(), model.modelId(), training));
        logFile(source, model.artifactLocation(), "model.json", "{\"coefficients\": [1.5]}\n".getBytes(StandardCharsets.UTF_8));
        logFile(source, model.artifactLocation(), "data/weights.bin", randomBytes(70_000, 3));
        models.logModelMetrics(training, model.modelId(), List.of(new Metric("rmse_in_sample", 0.25, T0 + 110, 0)), Optional.of(TARGET));
        models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
        models.logOutputs(training, List.of(new ModelOutput(model.modelId(), 0)));
        source.runs().endRun(training, RunStatus.FINISHED, T0 + 120);
        String registered = experimentName("maize-yield");
        models.createRegisteredModel(registered);
        models.createModelVersion(registered, model.modelId());
        models.setAlias(registered, "champion", 1);

        RunId forecast = source.runs().createRun(new CreateRunRequest(a.id(), "forecast", "alice", T0 + 50, List.of())).runId();
        models.logInputs(forecast, List.of(DatasetInput.withContext(FEATURES, "evaluation")), List.of(model.modelId()));
        source.runs().endRun(forecast, RunStatus.FINISHED, T0 + 200);
        return new Lineage(training, model.modelId(), forecast, registered);
    }

    protected static byte[] mlmodel(String artifactLocation, ModelId model, RunId run) {
        return ("artifact_path: " + artifactLocation + "\nflavors:\n  cropcast:\n    model: model.json\n    model_id: " + model
                + "\nmodel_id: " + model + "\nmodel_uuid: " + model + "\nrun_id: " + run + "\nutc_time_created: '2023-11-14 22:13:20.000000'\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    protected void logFile(SyncEndpoint side, String root, String path, byte[] content) throws IOException {
        Path file = work.resolve("upload-" + System.nanoTime()).resolve(path.substring(path.lastIndexOf('/') + 1));
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        int slash = path.lastIndexOf('/');
        side.artifacts().logFile(root, file, slash < 0 ? "" : path.substring(0, slash));
    }

    @Test
    public void datasetInputsLoggedModelsAndTheRegistryAreCopiedWithTheDestinationsIds() throws IOException {
        Lineage seeded = seedLineage();
        SyncReport report = sync(all().withParallelism(4));

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        List<RunId> order = report.runs().stream().map(RunSyncResult::sourceRunId).toList();
        assertThat(order.indexOf(seeded.training())).as("the model's producer before its reader").isLessThan(order.indexOf(seeded.forecast()));
        RunSyncResult training = result(report, seeded.training());
        assertThat(training.datasets()).isEqualTo(2);
        assertThat(training.models()).isEqualTo(1);
        assertThat(training.modelVersions()).isEqualTo(1);
        assertThat(training.artifactFiles()).isEqualTo(3);
        assertLineageCopied(seeded);

        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());
        SyncReport second = sync(source, counted(runs, artifacts), all());
        assertThat(second.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
        assertThat(runs.writes).as("no write to the destination's runs or models").hasValue(0);
        assertThat(artifacts.uploads).hasValue(0);
        assertThat(destination.models().orElseThrow().searchLoggedModels(destination.runs().findExperiment(expA).orElseThrow().id()))
                .hasSize(1);
        assertThat(destination.models().orElseThrow().listModelVersions(seeded.registered())).hasSize(1);
    }

    @Test
    public void aChangedRegistryOrModelReachesTheCopyAndNothingElse() throws IOException {
        Lineage seeded = seedLineage();
        sync(all());
        ModelStore models = source.models().orElseThrow();
        models.setAlias(seeded.registered(), "staging", 1);
        models.setLoggedModelTags(seeded.model(), Map.of("reviewed", "yes"));
        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());

        SyncReport report = sync(source, counted(runs, artifacts), all());

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(result(report, seeded.training()).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(result(report, seeded.training()).modelVersions()).isZero();
        assertThat(artifacts.uploads).as("the model's files are there already").hasValue(0);
        assertThat(runs.metricRows).hasValue(0);
        assertLineageCopied(seeded);
        ModelStore target = destination.models().orElseThrow();
        assertThat(target.getRegisteredModel(seeded.registered()).orElseThrow().aliases()).containsOnlyKeys("champion", "staging");
        assertThat(target.listModelVersions(seeded.registered())).hasSize(1);
    }

    @Test
    public void anAliasHeldByAnotherModelAtTheDestinationIsRefusedNamingBoth() throws IOException {
        Lineage seeded = seedLineage();
        ModelStore target = destination.models().orElseThrow();
        Experiment there = destination.runs().getOrCreateExperiment(experimentName("team"));
        RunId teamRun = destination.runs().createRun(new CreateRunRequest(there.id(), "team-fit", "erin", T0, List.of())).runId();
        LoggedModel teamModel = target.createLoggedModel(LoggedModelRequest.of(there.id(), "team", teamRun));
        target.finalizeLoggedModel(teamModel.modelId(), LoggedModelStatus.READY);
        target.createRegisteredModel(seeded.registered());
        int teamVersion = target.createModelVersion(seeded.registered(), teamModel.modelId()).version();
        target.setAlias(seeded.registered(), "champion", teamVersion);

        SyncReport report = sync(all());

        RunSyncResult training = result(report, seeded.training());
        assertThat(training.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(training.problems()).singleElement().asString().contains("'champion'", "version " + teamVersion);
        assertThat(target.getRegisteredModel(seeded.registered()).orElseThrow().aliases()).containsEntry("champion", teamVersion);
        assertThat(target.listModelVersions(seeded.registered())).as("the copy is registered beside the team's version").hasSize(2);
        assertThat(result(report, seeded.forecast()).outcome()).isEqualTo(Outcome.CREATED);
    }

    @Test
    public void aRegisteredModelsDescriptionAndTagsReachTheCopyAndFollowTheSource() throws IOException {
        Lineage seeded = seedLineage();
        ModelStore models = source.models().orElseThrow();
        models.setRegisteredModelDescription(seeded.registered(), "county maize yield; data at https://bob:hunter2@data.example.com");
        models.setRegisteredModelTags(seeded.registered(), Map.of("team", "agronomy", "crop", "maize"));
        ModelStore target = destination.models().orElseThrow();

        SyncReport first = sync(all());

        assertThat(first.succeeded()).as(first.toString()).isTrue();
        RegisteredModel copy = target.getRegisteredModel(seeded.registered()).orElseThrow();
        assertThat(copy.description()).contains("county maize yield; data at https://***@data.example.com");
        assertThat(copy.tags()).containsEntry("team", "agronomy").containsEntry("crop", "maize");

        // the source changes both; a tag only the destination has (the team's) is kept
        target.setRegisteredModelTags(seeded.registered(), Map.of("owner", "erin"));
        models.setRegisteredModelDescription(seeded.registered(), "county maize yield, v2");
        models.setRegisteredModelTags(seeded.registered(), Map.of("crop", "corn"));
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());
        SyncReport second = sync(source, counted(new CountingRunStore(destination.runs()), artifacts), all());

        assertThat(second.succeeded()).as(second.toString()).isTrue();
        assertThat(result(second, seeded.training()).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(artifacts.uploads).hasValue(0);
        copy = target.getRegisteredModel(seeded.registered()).orElseThrow();
        assertThat(copy.description()).contains("county maize yield, v2");
        assertThat(copy.tags()).isEqualTo(Map.of("team", "agronomy", "crop", "corn", "owner", "erin"));

        CountingRunStore runs = new CountingRunStore(destination.runs());
        SyncReport third = sync(source, counted(runs, new CountingArtifactStore(destination.artifacts())), all());
        assertThat(third.runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
        assertThat(runs.writes).hasValue(0);
    }

    @Test
    public void aModelTagDeletedAtTheSourceIsDeletedAtTheCopy() throws IOException {
        Lineage seeded = seedLineage();
        sync(all());
        assertThat(modelCopyOf(seeded.model()).tags()).containsKey("cropcast.stage");
        source.models().orElseThrow().deleteLoggedModelTag(seeded.model(), "cropcast.stage");
        CountingRunStore runs = new CountingRunStore(destination.runs());
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());

        SyncReport report = sync(source, counted(runs, artifacts), all());

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(result(report, seeded.training()).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(artifacts.uploads).hasValue(0);
        assertThat(runs.metricRows).hasValue(0);
        LoggedModel copy = modelCopyOf(seeded.model());
        assertThat(copy.tags()).doesNotContainKey("cropcast.stage").containsKey("endpoint")
                .containsEntry(SyncTags.SOURCE_MODEL_ID, seeded.model().value());
        assertLineageCopied(seeded);
        assertThat(sync(all()).runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
    }

    @Test
    public void aModelNoRunProducedComesWithTheRunThatReadIt() throws IOException {
        ModelStore models = source.models().orElseThrow();
        Experiment a = source.runs().getOrCreateExperiment(expA);
        // a model made outside any run (imported, or its run purged), READY with its files
        LoggedModel model = models.createLoggedModel(new LoggedModelRequest(a.id(), "imported", Optional.empty(),
                Optional.of("cropcast"), Map.of("learner", "ridge"), Map.of("origin", "import")));
        logFile(source, model.artifactLocation(), "model.json", "{\"coefficients\": [2.5]}\n".getBytes(StandardCharsets.UTF_8));
        models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
        RunId forecast = source.runs().createRun(new CreateRunRequest(a.id(), "forecast", "alice", T0, List.of())).runId();
        models.logInputs(forecast, List.of(), List.of(model.modelId()));
        RunId other = source.runs().createRun(new CreateRunRequest(a.id(), "forecast-2", "alice", T0 + 1, List.of())).runId();
        models.logInputs(other, List.of(), List.of(model.modelId()));
        source.runs().endRun(forecast, RunStatus.FINISHED, T0 + 10);
        source.runs().endRun(other, RunStatus.FINISHED, T0 + 11);

        SyncReport report = sync(all().withParallelism(4));

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        LoggedModel copy = modelCopyOf(model.modelId());
        assertThat(copy.modelId()).isNotEqualTo(model.modelId());
        assertThat(copy.sourceRunId()).isEmpty();
        assertThat(copy.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(copy.params()).isEqualTo(model.params());
        assertThat(copy.tags()).containsEntry("origin", "import");
        assertThat(bytes(destination, copy.artifactLocation(), "model.json")).isEqualTo(bytes(source, model.artifactLocation(), "model.json"));
        ModelStore target = destination.models().orElseThrow();
        assertThat(target.searchLoggedModels(destination.runs().findExperiment(expA).orElseThrow().id()))
                .as("one copy, though two runs read it at once").hasSize(1);
        assertThat(target.getRunInputs(copyOf(forecast).orElseThrow().id()).models()).containsExactly(copy.modelId());
        assertThat(target.getRunInputs(copyOf(other).orElseThrow().id()).models()).containsExactly(copy.modelId());
        assertThat(sync(all()).runs()).extracting(RunSyncResult::outcome).containsOnly(Outcome.UNCHANGED);
    }

    /** The copy of a source model at the destination, found by its identity tag. */
    protected LoggedModel modelCopyOf(ModelId sourceModel) {
        ModelStore target = destination.models().orElseThrow();
        return destination.runs().listExperiments().stream().flatMap(e -> target.searchLoggedModels(e.id()).stream())
                .filter(m -> sourceModel.value().equals(m.tags().get(SyncTags.SOURCE_MODEL_ID))).findFirst()
                .orElseThrow(() -> new AssertionError("no copy of model " + sourceModel));
    }

    /** Asserts the lineage of {@link #seedLineage} at the destination, every id the destination's. */
    protected void assertLineageCopied(Lineage seeded) throws IOException {
        ModelStore from = source.models().orElseThrow();
        ModelStore to = destination.models().orElseThrow();
        RunId training = copyOf(seeded.training()).orElseThrow().id();
        RunId forecast = copyOf(seeded.forecast()).orElseThrow().id();
        LoggedModel original = from.getLoggedModel(seeded.model()).orElseThrow();
        LoggedModel copy = modelCopyOf(seeded.model());

        assertThat(copy.modelId()).isNotEqualTo(original.modelId());
        assertThat(copy.name()).isEqualTo(original.name());
        assertThat(copy.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(copy.modelType()).isEqualTo(original.modelType());
        assertThat(copy.sourceRunId()).contains(training);
        assertThat(copy.params()).isEqualTo(original.params());
        assertThat(LineageSync.copiedModelTags(copy.tags())).isEqualTo(LineageSync.copiedModelTags(original.tags()));
        assertThat(copy.tags()).containsEntry("endpoint", "https://***@data.example.com/panel")
                .containsEntry(SyncTags.SOURCE_BACKEND, source.fingerprint());
        assertThat(copy.metrics()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("rmse_in_sample");
            assertThat(m.value()).isEqualTo(0.25);
            assertThat(m.runId()).isEqualTo(training);
            assertThat(m.datasetName()).contains(TARGET.name());
            assertThat(m.datasetDigest()).contains(TARGET.digest());
        });
        Map<String, Long> files = files(source, original.artifactLocation());
        Map<String, Long> copiedFiles = files(destination, copy.artifactLocation());
        assertThat(copiedFiles.keySet()).isEqualTo(files.keySet());
        for (String path : files.keySet()) {
            if (!path.equals(LineageSync.MLMODEL)) {
                assertThat(bytes(destination, copy.artifactLocation(), path)).as(path).isEqualTo(bytes(source, original.artifactLocation(), path));
            }
        }
        assertThat(new String(bytes(destination, copy.artifactLocation(), LineageSync.MLMODEL), StandardCharsets.UTF_8))
                .as("the MLmodel names the copy's ids").isEqualTo(new String(mlmodel(copy.artifactLocation(), copy.modelId(), training),
                        StandardCharsets.UTF_8).replace("    model_id: " + copy.modelId(), "    model_id: " + original.modelId()));

        assertThat(to.getRunInputs(training).datasets()).containsExactlyInAnyOrderElementsOf(from.getRunInputs(seeded.training()).datasets());
        assertThat(to.getRunInputs(training).models()).isEmpty();
        assertThat(to.getRunOutputs(training)).containsExactly(new ModelOutput(copy.modelId(), 0));
        assertThat(to.getRunInputs(forecast).models()).containsExactly(copy.modelId());
        assertThat(to.getRunInputs(forecast).datasets()).containsExactlyInAnyOrderElementsOf(from.getRunInputs(seeded.forecast()).datasets());

        ModelVersion champion = to.getModelVersionByAlias(seeded.registered(), "champion").orElseThrow();
        assertThat(champion.source()).isEqualTo(ModelUri.PREFIX + copy.modelId());
        assertThat(champion.runId()).contains(training);
    }

    // ---- reading both sides ----

    protected static RunInfo info(SyncEndpoint side, RunId id) {
        return side.runs().getRun(id).orElseThrow().info();
    }

    protected static RunSyncResult result(SyncReport report, RunId sourceRun) {
        return report.runs().stream().filter(r -> r.sourceRunId().equals(sourceRun)).findFirst().orElseThrow();
    }

    /** The active destination run that is a copy of this source run. */
    protected Optional<Run> copyOf(RunId sourceRun) {
        Run original = source.runs().getRun(sourceRun).orElseThrow();
        String experiment = source.runs().getExperiment(original.info().experimentId()).orElseThrow().name();
        return destinationRuns(experiment).stream()
                .filter(r -> sourceRun.value().equals(r.data().tags().get(SyncTags.SOURCE_RUN_ID))).findFirst();
    }

    protected List<Run> destinationRuns(String experiment) {
        return destination.runs().findExperiment(experiment)
                .map(e -> destination.runs().searchRuns(RunSearch.all(e.id()))).orElse(List.of());
    }

    /** Asserts the run's copy equals it: info, params, tags, every metric row, every artifact byte. */
    protected void assertCopied(RunId sourceRun) throws IOException {
        Run original = source.runs().getRun(sourceRun).orElseThrow();
        Run copy = copyOf(sourceRun).orElseThrow(() -> new AssertionError("no copy of " + sourceRun));
        RunInfo a = original.info();
        RunInfo b = copy.info();
        assertThat(b.runName()).isEqualTo(a.runName());
        assertThat(b.userId()).isEqualTo(a.userId());
        assertThat(b.status()).isEqualTo(a.status());
        assertThat(b.startTimeMillis()).isEqualTo(a.startTimeMillis());
        assertThat(b.endTimeMillis()).isEqualTo(a.endTimeMillis());
        assertThat(b.lifecycleStage()).isEqualTo(a.lifecycleStage());
        assertThat(copy.data().params()).isEqualTo(original.data().params());
        Map<String, String> expectedTags = copiedTags(original);
        if (expectedTags.containsKey(SyncTags.PARENT_RUN_ID)) {
            expectedTags.put(SyncTags.PARENT_RUN_ID, copyOf(RunId.of(expectedTags.get(SyncTags.PARENT_RUN_ID))).orElseThrow().id().value());
        }
        expectedTags.replaceAll((k, v) -> org.cropcast.tracking.Redactor.redact(v));
        assertThat(copiedTags(copy)).isEqualTo(expectedTags);
        assertThat(destination.runs().getMetricHistories(copy.id())).isEqualTo(source.runs().getMetricHistories(original.id()));
        assertThat(copy.data().latestMetrics()).isEqualTo(original.data().latestMetrics());
        Map<String, Long> files = files(source, a.artifactUri());
        assertThat(files(destination, b.artifactUri())).isEqualTo(files);
        for (String path : files.keySet()) {
            assertThat(bytes(destination, b.artifactUri(), path)).as(path).isEqualTo(bytes(source, a.artifactUri(), path));
        }
    }

    private static Map<String, String> copiedTags(Run run) {
        Map<String, String> tags = new TreeMap<>();
        run.data().tags().forEach((k, v) -> {
            if (SyncTags.isCopied(k)) {
                tags.put(k, v);
            }
        });
        return tags;
    }

    protected static Map<String, Long> files(SyncEndpoint side, String root) {
        Map<String, Long> files = new TreeMap<>();
        List<String> directories = new ArrayList<>(List.of(""));
        while (!directories.isEmpty()) {
            for (ArtifactEntry entry : side.artifacts().list(root, directories.remove(0))) {
                if (entry.directory()) {
                    directories.add(entry.path());
                } else {
                    files.put(entry.path(), entry.sizeBytes().orElseThrow());
                }
            }
        }
        return files;
    }

    protected static byte[] bytes(SyncEndpoint side, String root, String path) throws IOException {
        try (InputStream in = side.artifacts().open(root, path)) {
            return in.readAllBytes();
        }
    }
}
