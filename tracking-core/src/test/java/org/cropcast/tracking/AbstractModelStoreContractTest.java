package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ModelStore} keeps: MLflow 3's logged models, registry and run
 * inputs/outputs. Shipped in core's test-jar; an adapter's test extends it and opens a run store
 * and the model store beside it. Names are unique per test, so a shared backend (one tracking
 * server for many tests) works.
 */
public abstract class AbstractModelStoreContractTest {
    protected static final long T0 = 1_700_000_000_000L;

    protected RunStore runs;
    protected ModelStore models;

    /** A run store over a fresh (or shared) backend. */
    protected abstract RunStore createRunStore();

    /** The model store beside {@code runs}, on the same backend. */
    protected abstract ModelStore createModelStore(RunStore runs);

    @BeforeEach
    public final void openStores() {
        runs = createRunStore();
        models = createModelStore(runs);
    }

    @AfterEach
    public final void closeStores() {
        models.close();
        runs.close();
    }

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected Experiment newExperiment() {
        return runs.getOrCreateExperiment(uniqueName("exp"));
    }

    protected RunInfo newRun(Experiment experiment) {
        return runs.createRun(new CreateRunRequest(experiment.id(), uniqueName("run"), "alice", T0, List.of()));
    }

    protected LoggedModel newModel(Experiment experiment, RunInfo run) {
        return models.createLoggedModel(new LoggedModelRequest(experiment.id(), "prodmodel", Optional.of(run.runId()),
                Optional.empty(), Map.of("learner", "ridge", "alpha", "0.5"), Map.of("cropcast.stage", "fit-production")));
    }

    protected LoggedModel readyModel(Experiment experiment, RunInfo run) {
        return models.finalizeLoggedModel(newModel(experiment, run).modelId(), LoggedModelStatus.READY);
    }

    protected static void assertFails(ThrowingCallable call, ErrorCode code, String... messageParts) {
        CropcastAssertions.assertFails(call, code, messageParts);
    }

    protected static Dataset dataset(String name, String digest) {
        return new Dataset(name, digest, "local", "{\"uri\": \"/data/" + name + ".csv\"}",
                Optional.of("{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"yield\", \"required\": true}]}"),
                Optional.of("{\"num_rows\": 12}"));
    }

    // ---- logged models

    @Test
    public void createdModelIsPendingWithMlflowIdAndArtifactLocation() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        LoggedModel model = newModel(experiment, run);
        assertThat(model.modelId().value()).matches("m-[0-9a-f]{32}");
        assertThat(model.status()).isEqualTo(LoggedModelStatus.PENDING);
        assertThat(model.experimentId()).isEqualTo(experiment.id());
        assertThat(model.name()).isEqualTo("prodmodel");
        assertThat(model.sourceRunId()).contains(run.runId());
        assertThat(model.artifactLocation())
                .isEqualTo(ModelRegistries.modelArtifactLocation(experiment.artifactLocation(), model.modelId()))
                .endsWith("/models/" + model.modelId() + "/artifacts");
        LoggedModel read = models.getLoggedModel(model.modelId()).orElseThrow();
        assertThat(read.params()).isEqualTo(Map.of("learner", "ridge", "alpha", "0.5"));
        assertThat(read.tags()).containsEntry("cropcast.stage", "fit-production");
        assertThat(read.status()).isEqualTo(LoggedModelStatus.PENDING);
        assertThat(read.uri()).isEqualTo("models:/" + model.modelId());
    }

    @Test
    public void finalizeSetsReadyOnceAndRefusesAnotherFinalStatus() {
        Experiment experiment = newExperiment();
        LoggedModel model = newModel(experiment, newRun(experiment));
        LoggedModel ready = models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
        assertThat(ready.status()).isEqualTo(LoggedModelStatus.READY);
        assertThat(ready.lastUpdatedTimeMillis()).isGreaterThanOrEqualTo(model.creationTimeMillis());
        assertThat(models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY).status()).isEqualTo(LoggedModelStatus.READY);
        assertFails(() -> models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.FAILED),
                ModelErrorCode.INVALID_MODEL_STATE, model.modelId().value(), "READY");
        assertThat(models.getLoggedModel(model.modelId()).orElseThrow().status()).isEqualTo(LoggedModelStatus.READY);
    }

    @Test
    public void failedModelStaysFailed() {
        Experiment experiment = newExperiment();
        LoggedModel model = newModel(experiment, newRun(experiment));
        assertThat(models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.FAILED).status()).isEqualTo(LoggedModelStatus.FAILED);
        assertThat(models.getLoggedModel(model.modelId()).orElseThrow().status()).isEqualTo(LoggedModelStatus.FAILED);
    }

    @Test
    public void unknownModelIsAbsentAndCannotBeFinalized() {
        ModelId unknown = ModelId.of("m-0123456789abcdef0123456789abcdef");
        assertThat(models.getLoggedModel(unknown)).isEmpty();
        assertFails(() -> models.finalizeLoggedModel(unknown, LoggedModelStatus.READY), ModelErrorCode.MODEL_NOT_FOUND, unknown.value());
    }

    @Test
    public void modelInUnknownExperimentIsRefused() {
        assertThatThrownBy(() -> models.createLoggedModel(new LoggedModelRequest(ExperimentId.of("987654321"), "m", Optional.empty(),
                Optional.empty(), Map.of(), Map.of()))).isInstanceOf(CropcastException.class)
                .satisfies(e -> assertThat(((CropcastException) e).category()).isEqualTo(ErrorCategory.USER_INPUT));
    }

    @Test
    public void badModelNamesAreRefusedBeforeAnyWrite() {
        Experiment experiment = newExperiment();
        for (String bad : List.of("", "a/b", "a:b", "a.b", "50%", "it's")) {
            assertFails(() -> new LoggedModelRequest(experiment.id(), bad, Optional.empty(), Optional.empty(), Map.of(), Map.of()),
                    ModelErrorCode.INVALID_MODEL_ARGUMENT, "logged-model name");
        }
        assertThat(models.searchLoggedModels(experiment.id())).isEmpty();
    }

    @Test
    public void setTagsReplacesValues() {
        Experiment experiment = newExperiment();
        LoggedModel model = newModel(experiment, newRun(experiment));
        models.setLoggedModelTags(model.modelId(), Map.of("cropcast.stage", "other", "note", "x"));
        assertThat(models.getLoggedModel(model.modelId()).orElseThrow().tags())
                .containsEntry("cropcast.stage", "other").containsEntry("note", "x");
    }

    @Test
    public void modelMetricsAreRunMetricsLinkedToModelAndDataset() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        LoggedModel model = newModel(experiment, run);
        Dataset panel = dataset("target", "abcdef0123456789");
        models.logModelMetrics(run.runId(), model.modelId(),
                List.of(new Metric("rmse_in_sample", 0.25, T0 + 5, 0), new Metric("r2_in_sample", 0.9, T0 + 5, 0)), Optional.of(panel));
        LoggedModel read = models.getLoggedModel(model.modelId()).orElseThrow();
        assertThat(read.metrics()).containsExactlyInAnyOrder(
                new ModelMetric("rmse_in_sample", 0.25, T0 + 5, 0, run.runId(), Optional.of("target"), Optional.of("abcdef0123456789")),
                new ModelMetric("r2_in_sample", 0.9, T0 + 5, 0, run.runId(), Optional.of("target"), Optional.of("abcdef0123456789")));
        Run readRun = runs.getRun(run.runId()).orElseThrow();
        assertThat(readRun.data().latestMetrics()).containsKeys("rmse_in_sample", "r2_in_sample");
        assertThat(readRun.data().latestMetrics().get("rmse_in_sample").value()).isEqualTo(0.25);
    }

    @Test
    public void searchFindsTheExperimentsModelsOnly() {
        Experiment experiment = newExperiment();
        Experiment other = newExperiment();
        RunInfo run = newRun(experiment);
        LoggedModel first = newModel(experiment, run);
        LoggedModel second = readyModel(experiment, run);
        LoggedModel elsewhere = newModel(other, newRun(other));
        assertThat(models.searchLoggedModels(experiment.id())).extracting(LoggedModel::modelId)
                .containsExactlyInAnyOrder(first.modelId(), second.modelId());
        assertThat(models.searchLoggedModels(other.id())).extracting(LoggedModel::modelId).containsExactly(elsewhere.modelId());
    }

    // ---- registry

    @Test
    public void registeringAReadyModelMakesNumberedVersionsAndTagsTheModel() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        LoggedModel model = readyModel(experiment, run);
        String name = uniqueName("reg");
        RegisteredModel registered = models.createRegisteredModel(name);
        assertThat(registered.name()).isEqualTo(name);
        assertThat(models.createRegisteredModel(name).name()).isEqualTo(name);

        ModelVersion v1 = models.createModelVersion(name, model.modelId());
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.source()).isEqualTo("models:/" + model.modelId());
        assertThat(v1.runId()).contains(run.runId());
        assertThat(v1.modelId()).contains(model.modelId());
        assertThat(v1.status()).isEqualTo("READY");
        assertThat(v1.storageLocation()).isEqualTo(model.artifactLocation());
        LoggedModel other = readyModel(experiment, run);
        ModelVersion v2 = models.createModelVersion(name, other.modelId());
        assertThat(v2.version()).isEqualTo(2);
        ModelVersion again = models.createModelVersion(name, model.modelId());
        assertThat(again.version()).isEqualTo(3);

        assertThat(models.getLoggedModel(model.modelId()).orElseThrow().tags()).containsEntry(ModelRegistry.MODEL_VERSIONS_TAG,
                "[{\"name\": \"" + name + "\", \"version\": 1}, {\"name\": \"" + name + "\", \"version\": 3}]");
        assertThat(models.getModelVersion(name, 2).orElseThrow().modelId()).contains(other.modelId());
        assertThat(models.listModelVersions(name)).extracting(ModelVersion::version).containsExactly(3, 2, 1);
        assertThat(models.listRegisteredModels()).extracting(RegisteredModel::name).contains(name);
    }

    @Test
    public void aPendingOrFailedModelIsNotRegistered() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        LoggedModel pending = newModel(experiment, run);
        LoggedModel failed = models.finalizeLoggedModel(newModel(experiment, run).modelId(), LoggedModelStatus.FAILED);
        String name = uniqueName("reg");
        models.createRegisteredModel(name);
        assertFails(() -> models.createModelVersion(name, pending.modelId()), ModelErrorCode.INVALID_MODEL_STATE,
                pending.modelId().value(), "PENDING");
        assertFails(() -> models.createModelVersion(name, failed.modelId()), ModelErrorCode.INVALID_MODEL_STATE, "FAILED");
        assertThat(models.listModelVersions(name)).isEmpty();
        assertThat(models.getLoggedModel(pending.modelId()).orElseThrow().tags()).doesNotContainKey(ModelRegistry.MODEL_VERSIONS_TAG);
    }

    @Test
    public void versionsOfUnknownModelsAreRefused() {
        Experiment experiment = newExperiment();
        LoggedModel model = readyModel(experiment, newRun(experiment));
        String unknown = uniqueName("none");
        assertFails(() -> models.createModelVersion(unknown, model.modelId()), ModelErrorCode.REGISTERED_MODEL_NOT_FOUND, unknown);
        String name = uniqueName("reg");
        models.createRegisteredModel(name);
        ModelId missing = ModelId.of("m-0123456789abcdef0123456789abcdef");
        assertFails(() -> models.createModelVersion(name, missing), ModelErrorCode.MODEL_NOT_FOUND, missing.value());
        assertThat(models.listModelVersions(name)).isEmpty();
        assertThat(models.getRegisteredModel(unknown)).isEmpty();
        assertThat(models.getModelVersion(unknown, 1)).isEmpty();
        assertThat(models.getModelVersion(name, 1)).isEmpty();
        assertThat(models.getModelVersionByAlias(name, "champion")).isEmpty();
    }

    @Test
    public void deletingATagRemovesItAndAMissingTagIsNoError() {
        Experiment experiment = newExperiment();
        LoggedModel model = newModel(experiment, newRun(experiment));
        models.setLoggedModelTags(model.modelId(), Map.of("note", "x", "kept", "y"));
        models.deleteLoggedModelTag(model.modelId(), "note");
        models.deleteLoggedModelTag(model.modelId(), "never-set");
        assertThat(models.getLoggedModel(model.modelId()).orElseThrow().tags()).doesNotContainKey("note").containsEntry("kept", "y");
        assertFails(() -> models.deleteLoggedModelTag(ModelId.of("m-0123456789abcdef0123456789abcdef"), "note"),
                ModelErrorCode.MODEL_NOT_FOUND);
    }

    @Test
    public void aRegisteredModelHasADescriptionAndTags() {
        String name = uniqueName("reg");
        models.createRegisteredModel(name);
        assertThat(models.getRegisteredModel(name).orElseThrow().description()).isEmpty();
        assertThat(models.getRegisteredModel(name).orElseThrow().tags()).isEmpty();
        models.setRegisteredModelDescription(name, "maize yield, county level");
        models.setRegisteredModelTags(name, Map.of("team", "agronomy", "crop", "maize"));
        models.setRegisteredModelTags(name, Map.of("crop", "corn"));
        RegisteredModel registered = models.getRegisteredModel(name).orElseThrow();
        assertThat(registered.description()).contains("maize yield, county level");
        assertThat(registered.tags()).isEqualTo(Map.of("team", "agronomy", "crop", "corn"));
        assertThat(models.listRegisteredModels()).filteredOn(r -> r.name().equals(name)).singleElement()
                .satisfies(r -> assertThat(r.tags()).isEqualTo(registered.tags()));
        models.setRegisteredModelDescription(name, "");
        assertThat(models.getRegisteredModel(name).orElseThrow().description()).isEmpty();
        String absent = uniqueName("absent");
        assertFails(() -> models.setRegisteredModelDescription(absent, "x"), ModelErrorCode.REGISTERED_MODEL_NOT_FOUND, absent);
        assertFails(() -> models.setRegisteredModelTags(absent, Map.of("k", "v")), ModelErrorCode.REGISTERED_MODEL_NOT_FOUND, absent);
    }

    @Test
    public void aliasesPointAtVersionsAndMove() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        String name = uniqueName("reg");
        models.createRegisteredModel(name);
        models.createModelVersion(name, readyModel(experiment, run).modelId());
        LoggedModel second = readyModel(experiment, run);
        models.createModelVersion(name, second.modelId());
        models.setAlias(name, "champion", 1);
        assertThat(models.getModelVersionByAlias(name, "champion").orElseThrow().version()).isEqualTo(1);
        assertThat(models.getModelVersion(name, 1).orElseThrow().aliases()).containsExactly("champion");
        models.setAlias(name, "champion", 2);
        ModelVersion champion = models.getModelVersionByAlias(name, "champion").orElseThrow();
        assertThat(champion.version()).isEqualTo(2);
        assertThat(champion.modelId()).contains(second.modelId());
        assertThat(champion.aliases()).containsExactly("champion");
        assertThat(models.getModelVersion(name, 1).orElseThrow().aliases()).isEmpty();
        assertThat(models.getRegisteredModel(name).orElseThrow().aliases()).isEqualTo(Map.of("champion", 2));
        assertFails(() -> models.setAlias(name, "champion", 7), ModelErrorCode.MODEL_VERSION_NOT_FOUND, name, "7");
        assertThat(models.getModelVersionByAlias(name, "champion").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    public void badNamesAndAliasesAreRefused() {
        for (String bad : List.of("", " ", "a/b", "a:b", "..x")) {
            assertFails(() -> models.createRegisteredModel(bad), ModelErrorCode.INVALID_MODEL_ARGUMENT, "registered model name");
        }
        String name = uniqueName("reg");
        models.createRegisteredModel(name);
        for (String bad : List.of("latest", "Latest", "v1", "V12", "a b", "a.b", "")) {
            assertFails(() -> models.setAlias(name, bad, 1), ModelErrorCode.INVALID_MODEL_ARGUMENT, "alias");
        }
    }

    // ---- run inputs and outputs

    @Test
    public void datasetsAreStoredOncePerExperimentAndLinkedWithTheirContext() {
        Experiment experiment = newExperiment();
        RunInfo run = newRun(experiment);
        RunInfo later = newRun(experiment);
        Dataset target = dataset("target", "0123456789abcdef0123456789abcdef");
        Dataset features = dataset("features", "fedcba9876543210fedcba9876543210");
        models.logInputs(run.runId(), List.of(DatasetInput.withContext(target, "training"),
                DatasetInput.withContext(features, "training"), DatasetInput.withContext(target, "evaluation")), List.of());
        models.logInputs(run.runId(), List.of(DatasetInput.withContext(target, "training")), List.of());
        models.logInputs(later.runId(), List.of(DatasetInput.withContext(target, "evaluation")), List.of());

        assertThat(models.listDatasets(experiment.id())).containsExactly(features, target);
        RunInputs inputs = models.getRunInputs(run.runId());
        assertThat(inputs.datasets()).hasSize(2);
        assertThat(inputs.datasets()).extracting(DatasetInput::dataset).containsExactlyInAnyOrder(target, features);
        assertThat(inputs.datasets()).allSatisfy(input -> assertThat(input.context()).contains("training"));
        assertThat(models.getRunInputs(later.runId()).datasets()).singleElement()
                .satisfies(input -> assertThat(input.context()).contains("evaluation"))
                .satisfies(input -> assertThat(input.dataset()).isEqualTo(target));
        assertThat(inputs.models()).isEmpty();
    }

    /**
     * Runs of one experiment that log the same new dataset at the same moment (a sweep's children) all succeed and share
     * one stored dataset: an MLflow server's look-up-then-insert loses this race with a uniqueness violation.
     */
    @Test
    public void runsLoggingTheSameNewDatasetAtOnceAllSucceed() throws Exception {
        Experiment experiment = newExperiment();
        int parallel = 8;
        List<RunInfo> racers = new java.util.ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            racers.add(newRun(experiment));
        }
        List<Dataset> datasets = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            for (int round = 0; round < 4; round++) {
                Dataset shared = dataset("target-" + round, UUID.randomUUID().toString().replace("-", ""));
                datasets.add(shared);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(parallel);
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (RunInfo racer : racers) {
                    done.add(pool.submit(() -> {
                        start.await();
                        models.logInputs(racer.runId(), List.of(DatasetInput.withContext(shared, "training")), List.of());
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(models.listDatasets(experiment.id())).containsExactlyInAnyOrderElementsOf(datasets);
        for (RunInfo racer : racers) {
            assertThat(models.getRunInputs(racer.runId()).datasets()).extracting(DatasetInput::dataset)
                    .containsExactlyInAnyOrderElementsOf(datasets);
        }
    }

    @Test
    public void sameDatasetInAnotherExperimentIsAnotherDataset() {
        Experiment a = newExperiment();
        Experiment b = newExperiment();
        Dataset target = dataset("target", "0123456789abcdef");
        models.logInputs(newRun(a).runId(), List.of(DatasetInput.withContext(target, "training")), List.of());
        models.logInputs(newRun(b).runId(), List.of(DatasetInput.withContext(target, "training")), List.of());
        assertThat(models.listDatasets(a.id())).containsExactly(target);
        assertThat(models.listDatasets(b.id())).containsExactly(target);
    }

    @Test
    public void outputsAndModelInputsRecordLineage() {
        Experiment experiment = newExperiment();
        RunInfo training = newRun(experiment);
        LoggedModel model = readyModel(experiment, training);
        models.logOutputs(training.runId(), List.of(new ModelOutput(model.modelId(), 0)));
        models.logOutputs(training.runId(), List.of(new ModelOutput(model.modelId(), 0)));
        assertThat(models.getRunOutputs(training.runId())).containsExactly(new ModelOutput(model.modelId(), 0));

        RunInfo forecast = newRun(experiment);
        models.logInputs(forecast.runId(), List.of(), List.of(model.modelId()));
        models.logInputs(forecast.runId(), List.of(), List.of(model.modelId()));
        assertThat(models.getRunInputs(forecast.runId()).models()).containsExactly(model.modelId());
        assertThat(models.getRunOutputs(forecast.runId())).isEmpty();
        assertThat(models.getRunInputs(training.runId()).models()).isEmpty();
    }

    @Test
    public void lineageNeedsAnActiveRun() {
        Experiment experiment = newExperiment();
        RunId unknown = RunId.of("0123456789abcdef0123456789abcdef");
        Dataset target = dataset("target", "0123");
        assertFails(() -> models.logInputs(unknown, List.of(DatasetInput.withContext(target, "training")), List.of()),
                TrackingErrorCode.RUN_NOT_FOUND, unknown.value());
        RunInfo deleted = newRun(experiment);
        runs.deleteRun(deleted.runId());
        assertFails(() -> models.logInputs(deleted.runId(), List.of(DatasetInput.withContext(target, "training")), List.of()),
                TrackingErrorCode.INVALID_RUN_STATE, deleted.runId().value());
        assertThat(models.listDatasets(experiment.id())).isEmpty();
    }

    @Test
    public void badDatasetsAreRefused() {
        assertFails(() -> dataset("", "0123"), ModelErrorCode.INVALID_MODEL_ARGUMENT, "name");
        assertFails(() -> dataset("t", "0".repeat(37)), ModelErrorCode.INVALID_MODEL_ARGUMENT, "digest", "36");
        assertFails(() -> new DatasetInput(dataset("t", "0"), Map.of(DatasetInput.CONTEXT_TAG, "x".repeat(501))),
                ModelErrorCode.INVALID_MODEL_ARGUMENT, "input tag");
    }
}
