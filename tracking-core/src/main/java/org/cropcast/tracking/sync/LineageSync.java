package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelMetric;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelRegistry;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelUri;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInputs;
import org.cropcast.tracking.TrackingErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lineage part of a sync, through the {@link ModelStore} ports of both sides: a run's dataset
 * inputs, the logged models it produced (params, tags, metrics, files, status), their registered
 * versions and aliases, and the models the run read and wrote (ids mapped to the destination's).
 * One instance per sync; thread-safe (runs are synced several at once).
 *
 * <p>A copied logged model carries {@link SyncTags#SOURCE_MODEL_ID}, {@link SyncTags#SOURCE_BACKEND}
 * and {@link SyncTags#SOURCE_URI} from its create request, so it is found again by a later sync
 * (or one restarted after a kill). Its {@code MLmodel} file has its top-level {@code model_id},
 * {@code model_uuid}, {@code run_id} and {@code artifact_path} rewritten to the copy's ids (every
 * other file is copied byte for byte).
 */
final class LineageSync {
    private static final Logger LOG = LoggerFactory.getLogger(LineageSync.class);
    static final String MLMODEL = "MLmodel";
    /** An MLmodel file larger than this is copied as it is (MLmodel files are a few KiB). */
    private static final int MAX_MLMODEL_BYTES = 1 << 20;
    private static final Set<String> MLMODEL_ID_KEYS = Set.of("model_id", "model_uuid", "run_id", "artifact_path");

    /** A source model with what the sync reads of it. */
    record SourceModel(LoggedModel model, String experimentName, List<ArtifactEntry> files, List<ModelVersion> versions,
            List<RegisteredModel> registered) {}

    /** What a sync reads of a source run's lineage. */
    record Lineage(RunInputs inputs, List<ModelOutput> outputs, List<SourceModel> models) {
        static final Lineage NONE = new Lineage(new RunInputs(List.of(), List.of()), List.of(), List.of());

        boolean isEmpty() {
            return inputs.datasets().isEmpty() && inputs.models().isEmpty() && outputs.isEmpty() && models.isEmpty();
        }
    }

    /** What was written (or, in a dry run, would be). */
    record Counts(int datasets, int models, int versions, int files, long bytes, int filesInStorage, boolean conflict) {}

    interface FileCopier {
        /** Copies one file between artifact roots, reporting its bytes for the run; true if copied inside the storage service. */
        boolean copy(RunId run, String sourceRoot, String targetRoot, ArtifactEntry file);
    }

    interface Listing {
        List<ArtifactEntry> walk(SyncEndpoint side, String root);
    }

    private final SyncEndpoint source;
    private final SyncEndpoint destination;
    private final String sourceFingerprint;
    private final String destinationFingerprint;
    private final FileCopier copier;
    private final Listing listing;
    private final SyncListener listener;

    private final Map<RunId, Lineage> lineages = new ConcurrentHashMap<>();
    private final Map<ModelId, Optional<LoggedModel>> sourceModels = new ConcurrentHashMap<>();
    private final Map<ExperimentId, List<LoggedModel>> sourceModelsByExperiment = new ConcurrentHashMap<>();
    private final Map<ExperimentId, String> sourceExperimentNames = new ConcurrentHashMap<>();
    private final Map<RunId, Boolean> sourceRunsExist = new ConcurrentHashMap<>();
    /** The source's registered models by name (description and tags), read with its versions. */
    private final Map<String, RegisteredModel> sourceRegistered = new ConcurrentHashMap<>();
    /** One lock per source model: two runs that carry the same model (both read it) never copy it twice. */
    private final Map<ModelId, Object> modelLocks = new ConcurrentHashMap<>();
    private volatile Map<ModelId, List<ModelVersion>> sourceVersions;
    /** Source model id to its copy, as found or made by this sync. */
    private final Map<ModelId, LoggedModel> mappedModels = new ConcurrentHashMap<>();
    /** Per destination experiment name: source model id to its copy. */
    private final Map<String, Map<String, LoggedModel>> copiesByExperiment = new ConcurrentHashMap<>();
    private final Map<String, Experiment> destinationExperiments = new ConcurrentHashMap<>();
    private final Object registryLock = new Object();

    LineageSync(SyncEndpoint source, SyncEndpoint destination, FileCopier copier, Listing listing, SyncListener listener) {
        this.source = requireNonNull(source, "source is null");
        this.destination = requireNonNull(destination, "destination is null");
        this.copier = requireNonNull(copier, "copier is null");
        this.listing = requireNonNull(listing, "listing is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.sourceFingerprint = source.fingerprint();
        this.destinationFingerprint = destination.fingerprint();
        if (source.models().isEmpty()) {
            LOG.warn("the source {} has no model store: dataset inputs, logged models and registered versions are not synced",
                    source.display());
        }
    }

    // ---- the source ----

    /** The run's lineage at the source, read once per sync. */
    Lineage lineage(Run run) {
        return lineages.computeIfAbsent(run.id(), id -> read(run));
    }

    private Lineage read(Run run) {
        if (source.models().isEmpty()) {
            return Lineage.NONE;
        }
        ModelStore models = source.models().get();
        RunInputs inputs = models.getRunInputs(run.id());
        List<ModelOutput> outputs = models.getRunOutputs(run.id());
        List<SourceModel> produced = new ArrayList<>();
        List<LoggedModel> ofExperiment = sourceModelsByExperiment.computeIfAbsent(run.info().experimentId(), models::searchLoggedModels);
        for (LoggedModel model : ofExperiment) {
            if (model.sourceRunId().filter(run.id()::equals).isPresent()) {
                produced.add(describe(model));
            }
        }
        // models the run wrote or read that no run at the source produced (none named, or that run is
        // gone) travel with this run too; a model another run produced travels with that run, which
        // the selection pulls in before this one
        List<ModelId> related = new ArrayList<>();
        outputs.forEach(output -> related.add(output.modelId()));
        related.addAll(inputs.models());
        for (ModelId id : related) {
            if (produced.stream().noneMatch(m -> m.model().modelId().equals(id))) {
                sourceModel(id).filter(m -> !m.sourceRunId().filter(producer -> !producer.equals(run.id())).map(this::sourceRunExists)
                        .orElse(false)).ifPresent(m -> produced.add(describe(m)));
            }
        }
        produced.sort(Comparator.comparingLong((SourceModel m) -> m.model().creationTimeMillis()).thenComparing(m -> m.model().modelId().value()));
        return new Lineage(inputs, outputs, produced);
    }

    private boolean sourceRunExists(RunId id) {
        return sourceRunsExist.computeIfAbsent(id, key -> source.runs().getRun(key).isPresent());
    }

    private SourceModel describe(LoggedModel model) {
        List<ModelVersion> versions = new ArrayList<>(versionsBySourceModel().getOrDefault(model.modelId(), List.of()));
        versions.sort(Comparator.comparing(ModelVersion::name).thenComparingInt(ModelVersion::version));
        List<RegisteredModel> registered = versions.stream().map(ModelVersion::name).distinct()
                .map(name -> Optional.ofNullable(sourceRegistered.get(name))).flatMap(Optional::stream).toList();
        return new SourceModel(model, sourceExperimentName(model.experimentId()), listing.walk(source, model.artifactLocation()), versions,
                registered);
    }

    private String sourceExperimentName(ExperimentId id) {
        return sourceExperimentNames.computeIfAbsent(id, key -> source.runs().getExperiment(key).map(Experiment::name)
                .orElseThrow(() -> new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                        "experiment " + key + " of the source " + source.display() + " does not exist")));
    }

    Optional<LoggedModel> sourceModel(ModelId id) {
        return source.models().isEmpty() ? Optional.empty()
                : sourceModels.computeIfAbsent(id, key -> source.models().get().getLoggedModel(key));
    }

    /** The source runs this run depends on beyond its parent: the producers of the models it read. */
    List<RunId> dependencies(Run run) {
        List<RunId> runs = new ArrayList<>();
        for (ModelId model : lineage(run).inputs().models()) {
            sourceModel(model).flatMap(LoggedModel::sourceRunId).filter(id -> !id.equals(run.id())).ifPresent(runs::add);
        }
        return runs;
    }

    /** Every registered version at the source, by the logged model it was made from (read once per sync). */
    private Map<ModelId, List<ModelVersion>> versionsBySourceModel() {
        Map<ModelId, List<ModelVersion>> index = sourceVersions;
        if (index == null) {
            synchronized (registryLock) {
                index = sourceVersions;
                if (index == null) {
                    index = new HashMap<>();
                    ModelRegistry registry = source.models().orElseThrow();
                    for (RegisteredModel registered : registry.listRegisteredModels()) {
                        sourceRegistered.put(registered.name(), registered);
                        for (ModelVersion version : registry.listModelVersions(registered.name())) {
                            Optional<ModelId> model = modelOf(version);
                            if (model.isPresent()) {
                                index.computeIfAbsent(model.get(), k -> new ArrayList<>()).add(version);
                            }
                        }
                    }
                    sourceVersions = index;
                }
            }
        }
        return index;
    }

    private static Optional<ModelId> modelOf(ModelVersion version) {
        if (version.modelId().isPresent()) {
            return version.modelId();
        }
        try {
            return ModelUri.parse(version.source()).modelId();
        } catch (CropcastException e) {
            return Optional.empty();
        }
    }

    /** Writes the lineage into a run's digest, in a fixed order. */
    static void digest(DataOutputStream out, Lineage lineage) throws IOException {
        List<DatasetInput> datasets = new ArrayList<>(lineage.inputs().datasets());
        datasets.sort(Comparator.comparing((DatasetInput d) -> d.dataset().name()).thenComparing(d -> d.dataset().digest()));
        out.writeInt(datasets.size());
        for (DatasetInput input : datasets) {
            Dataset d = input.dataset();
            for (String field : List.of(d.name(), d.digest(), d.sourceType(), d.source(), d.schema().orElse("\0"), d.profile().orElse("\0"))) {
                writeString(out, field);
            }
            writeMap(out, input.tags());
        }
        List<String> modelInputs = lineage.inputs().models().stream().map(ModelId::value).sorted().toList();
        out.writeInt(modelInputs.size());
        for (String id : modelInputs) {
            writeString(out, id);
        }
        List<ModelOutput> outputs = new ArrayList<>(lineage.outputs());
        outputs.sort(Comparator.comparing((ModelOutput o) -> o.modelId().value()).thenComparingLong(ModelOutput::step));
        out.writeInt(outputs.size());
        for (ModelOutput output : outputs) {
            writeString(out, output.modelId().value());
            out.writeLong(output.step());
        }
        out.writeInt(lineage.models().size());
        for (SourceModel m : lineage.models()) {
            LoggedModel model = m.model();
            writeString(out, model.modelId().value());
            writeString(out, model.name());
            writeString(out, m.experimentName());
            writeString(out, model.status().name());
            writeString(out, model.modelType().orElse("\0"));
            writeMap(out, model.params());
            writeMap(out, copiedModelTags(model.tags()));
            List<ModelMetric> metrics = new ArrayList<>(model.metrics());
            metrics.sort(METRIC_ORDER);
            out.writeInt(metrics.size());
            for (ModelMetric metric : metrics) {
                writeString(out, metric.key());
                out.writeLong(Double.doubleToLongBits(metric.value()));
                out.writeLong(metric.timestampMillis());
                out.writeLong(metric.step());
                writeString(out, metric.runId().value());
                writeString(out, metric.datasetName().orElse("\0"));
                writeString(out, metric.datasetDigest().orElse("\0"));
            }
            out.writeInt(m.files().size());
            for (ArtifactEntry file : m.files()) {
                writeString(out, file.path());
                out.writeLong(file.sizeBytes().orElse(-1L));
            }
            out.writeInt(m.versions().size());
            for (ModelVersion version : m.versions()) {
                writeString(out, version.name());
                out.writeInt(version.version());
                List<String> aliases = new ArrayList<>(version.aliases());
                aliases.sort(null);
                writeString(out, String.join(",", aliases));
            }
            out.writeInt(m.registered().size());
            for (RegisteredModel registered : m.registered()) {
                writeString(out, registered.name());
                writeString(out, registered.description().orElse("\0"));
                writeMap(out, copiedRegisteredTags(registered.tags()));
            }
        }
    }

    private static final Comparator<ModelMetric> METRIC_ORDER = Comparator.comparing(ModelMetric::key)
            .thenComparingLong(ModelMetric::step).thenComparingLong(ModelMetric::timestampMillis)
            .thenComparing(m -> m.runId().value()).thenComparing(m -> m.datasetName().orElse(""))
            .thenComparing(m -> m.datasetDigest().orElse("")).thenComparingLong(m -> Double.doubleToLongBits(m.value()));

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>(map);
        out.writeInt(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** The model tags a sync copies: not its own, not the registry's list of versions (the destination's registry sets it). */
    static Map<String, String> copiedModelTags(Map<String, String> tags) {
        Map<String, String> copied = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (SyncTags.isCopied(k) && !k.equals(ModelRegistry.MODEL_VERSIONS_TAG)) {
                copied.put(k, Redactor.redact(v));
            }
        });
        return copied;
    }

    /** The registered-model tags a sync copies (not its own), values redacted. */
    static Map<String, String> copiedRegisteredTags(Map<String, String> tags) {
        Map<String, String> copied = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (SyncTags.isCopied(k)) {
                copied.put(k, Redactor.redact(v));
            }
        });
        return copied;
    }

    // ---- the destination ----

    /**
     * Brings the copy of a run up to its source's lineage: dataset inputs, the models it produced
     * (with files, metrics, status, registered versions and aliases), then its model inputs and
     * outputs, mapped. {@code mappedRun} names the copies of source runs synced so far.
     */
    Counts apply(Run run, RunId copyId, boolean copyExisted, Function<RunId, Optional<RunId>> mappedRun, boolean dryRun,
            List<String> problems) {
        Lineage lineage = lineage(run);
        if (lineage.isEmpty()) {
            return new Counts(0, 0, 0, 0, 0, 0, false);
        }
        if (destination.models().isEmpty()) {
            problems.add("the destination has no model store: its dataset inputs and models are not copied");
            return new Counts(0, 0, 0, 0, 0, 0, false);
        }
        ModelStore target = destination.models().get();
        RunInputs there = copyExisted ? target.getRunInputs(copyId) : new RunInputs(List.of(), List.of());
        List<DatasetInput> datasets = new ArrayList<>();
        for (DatasetInput input : lineage.inputs().datasets()) {
            boolean present = there.datasets().stream().anyMatch(d -> d.dataset().name().equals(input.dataset().name())
                    && d.dataset().digest().equals(input.dataset().digest()));
            if (!present) {
                datasets.add(input);
            }
        }
        if (dryRun) {
            int models = (int) lineage.models().stream().filter(m -> findCopy(m).isEmpty()).count();
            int versions = lineage.models().stream().filter(m -> findCopy(m).isEmpty()).mapToInt(m -> m.versions().size()).sum();
            int files = lineage.models().stream().filter(m -> findCopy(m).isEmpty()).mapToInt(m -> m.files().size()).sum();
            long bytes = lineage.models().stream().filter(m -> findCopy(m).isEmpty())
                    .flatMap(m -> m.files().stream()).mapToLong(f -> f.sizeBytes().orElse(0L)).sum();
            listener.bytes(run.id(), bytes);
            return new Counts(datasets.size(), models, versions, files, bytes, 0, false);
        }
        if (!datasets.isEmpty()) {
            target.logInputs(copyId, datasets, List.of());
        }
        int models = 0;
        int versions = 0;
        int files = 0;
        long bytes = 0;
        int inStorage = 0;
        boolean conflict = false;
        for (SourceModel m : lineage.models()) {
            ModelCounts c = syncModel(m, run, copyId, mappedRun, problems);
            models += c.changed() ? 1 : 0;
            versions += c.versions();
            files += c.files();
            bytes += c.bytes();
            inStorage += c.inStorage();
            conflict |= c.conflict();
        }
        List<ModelId> modelInputs = new ArrayList<>();
        for (ModelId input : lineage.inputs().models()) {
            mappedModel(input, problems, "input").filter(id -> !there.models().contains(id)).ifPresent(modelInputs::add);
        }
        if (!modelInputs.isEmpty()) {
            target.logInputs(copyId, List.of(), modelInputs);
        }
        List<ModelOutput> outputsThere = copyExisted ? target.getRunOutputs(copyId) : List.of();
        List<ModelOutput> outputs = new ArrayList<>();
        for (ModelOutput output : lineage.outputs()) {
            mappedModel(output.modelId(), problems, "output").map(id -> new ModelOutput(id, output.step()))
                    .filter(o -> !outputsThere.contains(o)).ifPresent(outputs::add);
        }
        if (!outputs.isEmpty()) {
            target.logOutputs(copyId, outputs);
        }
        return new Counts(datasets.size(), models, versions, files, bytes, inStorage, conflict);
    }

    private record ModelCounts(boolean changed, int versions, int files, long bytes, int inStorage, boolean conflict) {}

    /** The copy of a source model: made or found by this sync, else found at the destination. */
    private Optional<ModelId> mappedModel(ModelId sourceModel, List<String> problems, String what) {
        LoggedModel copy = mappedModels.get(sourceModel);
        if (copy == null) {
            Optional<LoggedModel> model = sourceModel(sourceModel);
            if (model.isPresent()) {
                copy = findCopy(model.get(), sourceExperimentName(model.get().experimentId())).orElse(null);
            }
        }
        if (copy == null) {
            problems.add("model " + what + " " + sourceModel + " has no copy at the destination (sync the run that logged it); not linked");
            return Optional.empty();
        }
        return Optional.of(copy.modelId());
    }

    private Optional<LoggedModel> findCopy(SourceModel m) {
        return Optional.ofNullable(mappedModels.get(m.model().modelId())).or(() -> findCopy(m.model(), m.experimentName()));
    }

    /** Finds the copy of a source model: the original when the source model is a copy from the destination, else by identity tag. */
    private Optional<LoggedModel> findCopy(LoggedModel model, String experimentName) {
        ModelStore target = destination.models().orElseThrow();
        Map<String, String> tags = model.tags();
        if (destinationFingerprint.equals(tags.get(SyncTags.SOURCE_BACKEND)) && tags.containsKey(SyncTags.SOURCE_MODEL_ID)) {
            Optional<LoggedModel> original = parseModelId(tags.get(SyncTags.SOURCE_MODEL_ID)).flatMap(target::getLoggedModel);
            if (original.isPresent()) {
                return original;
            }
        }
        return Optional.ofNullable(copies(experimentName).get(model.modelId().value()));
    }

    private Map<String, LoggedModel> copies(String experimentName) {
        return copiesByExperiment.computeIfAbsent(experimentName, name -> {
            Map<String, LoggedModel> byId = new ConcurrentHashMap<>();
            destination.runs().findExperiment(name).ifPresent(e -> {
                for (LoggedModel model : destination.models().orElseThrow().searchLoggedModels(e.id())) {
                    String sourceModel = model.tags().get(SyncTags.SOURCE_MODEL_ID);
                    if (sourceModel != null) {
                        byId.putIfAbsent(sourceModel, model);
                    }
                }
            });
            return byId;
        });
    }

    private static Optional<ModelId> parseModelId(String text) {
        try {
            return Optional.of(ModelId.of(text.strip()));
        } catch (CropcastException e) {
            return Optional.empty();
        }
    }

    private ModelCounts syncModel(SourceModel m, Run run, RunId copyId, Function<RunId, Optional<RunId>> mappedRun, List<String> problems) {
        synchronized (modelLocks.computeIfAbsent(m.model().modelId(), k -> new Object())) {
            return syncModelLocked(m, run, copyId, mappedRun, problems);
        }
    }

    private ModelCounts syncModelLocked(SourceModel m, Run run, RunId copyId, Function<RunId, Optional<RunId>> mappedRun,
            List<String> problems) {
        ModelStore target = destination.models().orElseThrow();
        LoggedModel model = m.model();
        Optional<LoggedModel> existing = findCopy(m);
        boolean changed = false;
        LoggedModel copy;
        if (existing.isPresent()) {
            copy = existing.get();
        } else {
            Experiment experiment = destinationExperiments.computeIfAbsent(m.experimentName(), destination.runs()::getOrCreateExperiment);
            Map<String, String> tags = new LinkedHashMap<>(copiedModelTags(model.tags()));
            tags.put(SyncTags.SOURCE_BACKEND, sourceFingerprint);
            tags.put(SyncTags.SOURCE_MODEL_ID, model.modelId().value());
            tags.put(SyncTags.SOURCE_URI, source.display());
            Optional<RunId> producer = model.sourceRunId().flatMap(id -> id.equals(run.id()) ? Optional.of(copyId) : mappedRun.apply(id));
            Map<String, String> params = new LinkedHashMap<>();
            model.params().forEach((k, v) -> params.put(k, Redactor.redact(v)));
            copy = target.createLoggedModel(new LoggedModelRequest(experiment.id(), model.name(), producer, model.modelType(), params, tags));
            copies(m.experimentName()).put(model.modelId().value(), copy);
            changed = true;
        }
        mappedModels.put(model.modelId(), copy);

        // files: missing or of another size (the MLmodel compared as rewritten)
        Map<String, Long> there = new HashMap<>();
        if (existing.isPresent()) {
            listing.walk(destination, copy.artifactLocation()).forEach(e -> there.put(e.path(), e.sizeBytes().orElse(-1L)));
        }
        Map<String, String> ids = idReplacements(model, copy);
        int files = 0;
        long bytes = 0;
        int inStorage = 0;
        boolean discarded = false;
        for (ArtifactEntry file : m.files()) {
            byte[] rewritten = file.path().equals(MLMODEL) ? rewrittenMlmodel(model, file, ids) : null;
            long size = rewritten != null ? rewritten.length : file.sizeBytes().orElse(-1L);
            Long present = there.get(file.path());
            if (present != null && present == size) {
                continue;
            }
            if (!discarded) {
                destination.artifacts().discardIncompleteUploads(copy.artifactLocation());
                discarded = true;
            }
            if (rewritten != null) {
                destination.artifacts().upload(copy.artifactLocation(), file.path(), new ByteArrayInputStream(rewritten));
                listener.bytes(run.id(), rewritten.length);
            } else {
                inStorage += copier.copy(run.id(), model.artifactLocation(), copy.artifactLocation(), file) ? 1 : 0;
            }
            files++;
            bytes += Math.max(0, size);
        }
        changed |= files > 0;

        // tags that differ
        Map<String, String> tagsThere = copy.tags();
        Map<String, String> tags = new TreeMap<>();
        copiedModelTags(model.tags()).forEach((k, v) -> {
            if (!v.equals(tagsThere.get(k))) {
                tags.put(k, v);
            }
        });
        if (!tags.isEmpty()) {
            target.setLoggedModelTags(copy.modelId(), tags);
            changed = true;
        }
        // tags deleted at the source are deleted at the copy (the copy follows its source, as its files do)
        Map<String, String> sourceTags = copiedModelTags(model.tags());
        for (String key : copiedModelTags(tagsThere).keySet()) {
            if (!sourceTags.containsKey(key)) {
                target.deleteLoggedModelTag(copy.modelId(), key);
                changed = true;
            }
        }

        // metrics missing at the copy, by the run that logged them and the dataset they were computed on
        changed |= copyModelMetrics(m, copy, run, copyId, mappedRun, problems);

        // status
        LoggedModel current = target.getLoggedModel(copy.modelId()).orElse(copy);
        if (model.status() != current.status()) {
            if (current.status() == LoggedModelStatus.PENDING && model.status() != LoggedModelStatus.PENDING) {
                current = target.finalizeLoggedModel(copy.modelId(), model.status());
                changed = true;
            } else {
                problems.add("model " + model.modelId() + " is " + model.status() + " at the source, its copy " + copy.modelId()
                        + " is " + current.status() + "; not changed");
            }
        }
        mappedModels.put(model.modelId(), current);

        // registered versions and aliases
        int versions = 0;
        boolean conflict = false;
        if (!m.versions().isEmpty()) {
            if (current.status() != LoggedModelStatus.READY) {
                problems.add("model " + model.modelId() + " has registered versions but its copy is not READY; not registered");
            } else {
                RegistryCounts r = syncVersions(m, current, problems);
                versions = r.created();
                conflict = r.conflict();
                changed |= r.changed();
            }
        }
        return new ModelCounts(changed, versions, files, bytes, inStorage, conflict);
    }

    private boolean copyModelMetrics(SourceModel m, LoggedModel copy, Run run, RunId copyId, Function<RunId, Optional<RunId>> mappedRun,
            List<String> problems) {
        record Row(String key, long bits, long timestamp, long step, String run, String datasetName, String datasetDigest) {}
        java.util.Set<Row> present = new java.util.HashSet<>();
        for (ModelMetric metric : copy.metrics()) {
            present.add(new Row(metric.key(), Double.doubleToLongBits(metric.value()), metric.timestampMillis(), metric.step(),
                    metric.runId().value(), metric.datasetName().orElse(null), metric.datasetDigest().orElse(null)));
        }
        record Group(RunId run, Optional<String> datasetName, Optional<String> datasetDigest) {}
        Map<Group, List<Metric>> missing = new LinkedHashMap<>();
        for (ModelMetric metric : m.model().metrics()) {
            Optional<RunId> runCopy = metric.runId().equals(run.id()) ? Optional.of(copyId) : mappedRun.apply(metric.runId());
            if (runCopy.isEmpty()) {
                problems.add("metric '" + metric.key() + "' of model " + m.model().modelId() + " was logged by run " + metric.runId()
                        + ", which has no copy at the destination; not copied");
                continue;
            }
            Row row = new Row(metric.key(), Double.doubleToLongBits(metric.value()), metric.timestampMillis(), metric.step(),
                    runCopy.get().value(), metric.datasetName().orElse(null), metric.datasetDigest().orElse(null));
            if (present.add(row)) {
                missing.computeIfAbsent(new Group(runCopy.get(), metric.datasetName(), metric.datasetDigest()), k -> new ArrayList<>())
                        .add(new Metric(metric.key(), metric.value(), metric.timestampMillis(), metric.step()));
            }
        }
        ModelStore target = destination.models().orElseThrow();
        for (Map.Entry<Group, List<Metric>> group : missing.entrySet()) {
            Optional<Dataset> dataset = Optional.empty();
            if (group.getKey().datasetName().isPresent()) {
                dataset = findDataset(m.model(), run, group.getKey().datasetName().get(), group.getKey().datasetDigest().orElse(""));
                if (dataset.isEmpty()) {
                    problems.add("dataset '" + group.getKey().datasetName().get() + "' of model " + m.model().modelId()
                            + "'s metrics is not recorded at the source; its metrics are not copied");
                    continue;
                }
            }
            for (List<Metric> chunk : chunks(group.getValue(), RunSync.METRIC_BATCH)) {
                target.logModelMetrics(group.getKey().run(), copy.modelId(), chunk, dataset);
            }
        }
        return !missing.isEmpty();
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            chunks.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return chunks;
    }

    private Optional<Dataset> findDataset(LoggedModel model, Run run, String name, String digest) {
        for (DatasetInput input : lineage(run).inputs().datasets()) {
            if (input.dataset().name().equals(name) && input.dataset().digest().equals(digest)) {
                return Optional.of(input.dataset());
            }
        }
        return source.models().orElseThrow().listDatasets(model.experimentId()).stream()
                .filter(d -> d.name().equals(name) && d.digest().equals(digest)).findFirst();
    }

    private record RegistryCounts(int created, boolean changed, boolean conflict) {}

    /**
     * The copy gets as many versions of each registered model as its source has (the destination
     * numbers them), then each alias of the source's versions: set when absent at the destination
     * or pointing at a version whose model is a copy from this source; refused (a conflict) when it
     * points at a version of another model there.
     */
    private RegistryCounts syncVersions(SourceModel m, LoggedModel copy, List<String> problems) {
        ModelStore target = destination.models().orElseThrow();
        int created = 0;
        boolean changed = false;
        boolean conflict = false;
        Map<String, List<ModelVersion>> byName = new TreeMap<>();
        m.versions().forEach(v -> byName.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v));
        for (Map.Entry<String, List<ModelVersion>> entry : byName.entrySet()) {
            String name = entry.getKey();
            List<ModelVersion> wanted = entry.getValue();
            synchronized (registryLock) { // versions are numbered by the destination: one creator at a time
                List<ModelVersion> present = new ArrayList<>();
                if (target.getRegisteredModel(name).isEmpty()) {
                    target.createRegisteredModel(name);
                    changed = true;
                } else {
                    target.listModelVersions(name).stream().filter(v -> modelOf(v).filter(copy.modelId()::equals).isPresent())
                            .forEach(present::add);
                }
                present.sort(Comparator.comparingInt(ModelVersion::version));
                while (present.size() < wanted.size()) {
                    present.add(target.createModelVersion(name, copy.modelId()));
                    created++;
                    changed = true;
                }
                Optional<RegisteredModel> registeredThere = target.getRegisteredModel(name);
                changed |= syncRegisteredModel(m, name, registeredThere);
                Map<String, Integer> aliasesThere = registeredThere.map(RegisteredModel::aliases).orElse(Map.of());
                for (int i = 0; i < wanted.size(); i++) {
                    int version = present.get(i).version();
                    for (String alias : wanted.get(i).aliases()) {
                        Integer current = aliasesThere.get(alias);
                        if (current != null && current == version) {
                            continue;
                        }
                        if (current == null || isCopyFromSource(name, current)) {
                            target.setAlias(name, alias, version);
                            changed = true;
                        } else {
                            conflict = true;
                            problems.add("alias '" + alias + "' of registered model '" + Redactor.truncateForMessage(name)
                                    + "' conflicts: source version " + wanted.get(i).version() + " (copied as version " + version
                                    + "), destination version " + current + " of another model; not moved");
                        }
                    }
                }
            }
        }
        return new RegistryCounts(created, changed, conflict);
    }

    /**
     * The registered model's description and tags follow the source's, as a run's tags do: a
     * description or tag the source has is set where the destination's differs; what only the
     * destination has (the team's own) is kept.
     */
    private boolean syncRegisteredModel(SourceModel m, String name, Optional<RegisteredModel> there) {
        Optional<RegisteredModel> from = m.registered().stream().filter(r -> r.name().equals(name)).findFirst();
        if (from.isEmpty()) {
            return false;
        }
        ModelStore target = destination.models().orElseThrow();
        boolean changed = false;
        Optional<String> description = from.get().description().map(Redactor::redact);
        if (description.isPresent() && !description.equals(there.flatMap(RegisteredModel::description))) {
            target.setRegisteredModelDescription(name, description.get());
            changed = true;
        }
        Map<String, String> tagsThere = there.map(RegisteredModel::tags).orElse(Map.of());
        Map<String, String> tags = new TreeMap<>();
        copiedRegisteredTags(from.get().tags()).forEach((k, v) -> {
            if (!v.equals(tagsThere.get(k))) {
                tags.put(k, v);
            }
        });
        if (!tags.isEmpty()) {
            target.setRegisteredModelTags(name, tags);
            changed = true;
        }
        return changed;
    }

    private boolean isCopyFromSource(String name, int version) {
        ModelStore target = destination.models().orElseThrow();
        return target.getModelVersion(name, version).flatMap(LineageSync::modelOf).flatMap(target::getLoggedModel)
                .map(model -> sourceFingerprint.equals(model.tags().get(SyncTags.SOURCE_BACKEND))).orElse(false);
    }

    // ---- the MLmodel file ----

    private static Map<String, String> idReplacements(LoggedModel model, LoggedModel copy) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(model.artifactLocation(), copy.artifactLocation());
        ids.put(model.modelId().value(), copy.modelId().value());
        if (model.sourceRunId().isPresent() && copy.sourceRunId().isPresent()) {
            ids.put(model.sourceRunId().get().value(), copy.sourceRunId().get().value());
        }
        return ids;
    }

    /** The MLmodel file with its ids rewritten, or null to copy it as it is (too large, or unreadable as text). */
    private byte[] rewrittenMlmodel(LoggedModel model, ArtifactEntry file, Map<String, String> ids) {
        if (file.sizeBytes().orElse(Long.MAX_VALUE) > MAX_MLMODEL_BYTES) {
            return null;
        }
        byte[] original;
        try (InputStream in = source.artifacts().open(model.artifactLocation(), file.path())) {
            original = in.readNBytes(MAX_MLMODEL_BYTES + 1);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read the MLmodel file of model " + model.modelId()
                    + ": " + e.getMessage(), e);
        }
        if (original.length > MAX_MLMODEL_BYTES) {
            return null;
        }
        return rewriteIds(new String(original, StandardCharsets.UTF_8), ids).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Replaces the source's ids by the copy's in the top-level {@code model_id}, {@code model_uuid},
     * {@code run_id} and {@code artifact_path} lines of an MLmodel document; every other line is kept.
     */
    static String rewriteIds(String mlmodel, Map<String, String> ids) {
        StringBuilder out = new StringBuilder(mlmodel.length());
        int start = 0;
        while (start < mlmodel.length()) {
            int end = mlmodel.indexOf('\n', start);
            end = end < 0 ? mlmodel.length() : end + 1;
            String line = mlmodel.substring(start, end);
            int colon = line.indexOf(':');
            if (colon > 0 && MLMODEL_ID_KEYS.contains(line.substring(0, colon))) {
                String value = line.substring(colon);
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    value = value.replace(id.getKey(), id.getValue());
                }
                line = line.substring(0, colon) + value;
            }
            out.append(line);
            start = end;
        }
        return out.toString();
    }
}
