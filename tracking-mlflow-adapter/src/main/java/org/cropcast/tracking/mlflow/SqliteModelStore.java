package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.ModelErrorCode;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelMetric;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelRegistries;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelUri;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInputs;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingLimits;

/**
 * Logged models, the model registry and run inputs/outputs in MLflow's SQLite database, beside a
 * {@link SqliteRunStore} and on its connection. Rows are the ones MLflow 3.17.2 writes (see
 * docs/MODELS.md): {@code logged_models} (status 1 PENDING, 2 READY, 3 FAILED; artifact location
 * {@code <experiment>/models/<id>/artifacts}), {@code logged_model_params/tags/metrics},
 * {@code registered_models}, {@code model_versions} (source {@code models:/<id>}, status
 * {@code READY}, stage {@code None}), {@code registered_model_aliases}, {@code datasets}
 * (one per experiment, name and digest), {@code inputs} ({@code DATASET -> RUN},
 * {@code RUN_INPUT -> MODEL_INPUT}, {@code RUN_OUTPUT -> MODEL_OUTPUT}) and {@code input_tags}.
 * Each call is one transaction.
 */
public final class SqliteModelStore implements ModelStore {
    private static final String WORKSPACE = "default";
    private static final String MODEL_COLUMNS = "model_id, experiment_id, name, artifact_location, creation_timestamp_ms,"
            + " last_updated_timestamp_ms, status, model_type, source_run_id";
    private static final String VERSION_COLUMNS = "name, version, creation_time, last_updated_time, source, run_id, status,"
            + " storage_location";

    private final SqliteDatabase db;
    private final Clock clock;
    private final RandomGenerator random;

    SqliteModelStore(SqliteDatabase db, Clock clock, RandomGenerator random) {
        this.db = requireNonNull(db, "db is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** The model store on the connection of a run store. */
    public static SqliteModelStore beside(SqliteRunStore runs, Clock clock, RandomGenerator random) {
        return new SqliteModelStore(runs.database(), clock, random);
    }

    private String newUuidHex() {
        return RunId.random(random).value();
    }

    // ---------------------------------------------------------------- logged models

    private record ExperimentRow(long id, String artifactLocation, boolean active) {}

    private Optional<ExperimentRow> experiment(long id) throws SQLException {
        PreparedStatement query = db.prepare("SELECT experiment_id, artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?");
        query.setLong(1, id);
        try (ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new ExperimentRow(rows.getLong(1), nullToEmpty(rows.getString(2)), "active".equals(rows.getString(3))));
        }
    }

    private static Optional<Long> numericId(ExperimentId id) {
        try {
            return Optional.of(Long.parseLong(id.value()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public LoggedModel createLoggedModel(LoggedModelRequest request) {
        requireNonNull(request, "request is null");
        ModelId id = ModelId.random(random);
        return db.write(d -> {
            Optional<Long> numeric = numericId(request.experimentId());
            ExperimentRow experiment = (numeric.isEmpty() ? Optional.<ExperimentRow>empty() : experiment(numeric.get()))
                    .orElseThrow(() -> new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                            "experiment " + SqliteValidation.quote(request.experimentId().value()) + " does not exist"));
            if (!experiment.active()) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "experiment " + experiment.id() + " is deleted");
            }
            if (request.sourceRunId().isPresent()) {
                SqliteRunStore.lifecycleOf(d, request.sourceRunId().get());
            }
            long now = clock.millis();
            String location = SqliteRunStore.appendToUriPath(experiment.artifactLocation(), "models", id.value(), "artifacts");
            PreparedStatement insert = d.prepare("INSERT INTO logged_models (model_id, experiment_id, name, artifact_location,"
                    + " creation_timestamp_ms, last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id,"
                    + " status_message) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)");
            insert.setString(1, id.value());
            insert.setLong(2, experiment.id());
            insert.setString(3, request.name());
            insert.setString(4, location);
            insert.setLong(5, now);
            insert.setLong(6, now);
            insert.setInt(7, LoggedModelStatus.PENDING.number());
            insert.setString(8, request.modelType().orElse(null));
            insert.setString(9, request.sourceRunId().map(RunId::value).orElse(null));
            insert.executeUpdate();
            PreparedStatement param = d.prepare("INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value)"
                    + " VALUES (?, ?, ?, ?)");
            for (Map.Entry<String, String> p : new java.util.TreeMap<>(request.params()).entrySet()) {
                param.setString(1, id.value());
                param.setLong(2, experiment.id());
                param.setString(3, p.getKey());
                param.setString(4, p.getValue());
                param.executeUpdate();
            }
            upsertModelTags(id, experiment.id(), request.tags());
            return loggedModel(id).orElseThrow();
        });
    }

    private void upsertModelTags(ModelId id, long experimentId, Map<String, String> tags) throws SQLException {
        PreparedStatement upsert = db.prepare("INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (model_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value");
        for (Map.Entry<String, String> tag : new java.util.TreeMap<>(tags).entrySet()) {
            upsert.setString(1, id.value());
            upsert.setLong(2, experimentId);
            upsert.setString(3, tag.getKey());
            upsert.setString(4, tag.getValue());
            upsert.executeUpdate();
        }
    }

    private LoggedModel requireModel(ModelId id) throws SQLException {
        return loggedModel(id).orElseThrow(() -> ModelRegistries.modelNotFound(id));
    }

    @Override
    public LoggedModel finalizeLoggedModel(ModelId modelId, LoggedModelStatus status) {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(status, "status is null");
        if (!status.isFinal()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_STATE, "a logged model is finalized READY or FAILED, not PENDING");
        }
        return db.write(d -> {
            LoggedModel model = requireModel(modelId);
            if (model.status() == status) {
                return model;
            }
            if (model.status().isFinal()) {
                throw ModelRegistries.alreadyFinal(modelId, model.status(), status);
            }
            PreparedStatement update = d.prepare("UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?");
            update.setInt(1, status.number());
            update.setLong(2, clock.millis());
            update.setString(3, modelId.value());
            update.executeUpdate();
            return requireModel(modelId);
        });
    }

    @Override
    public void setLoggedModelTags(ModelId modelId, Map<String, String> tags) {
        requireNonNull(modelId, "modelId is null");
        tags.keySet().forEach(k -> TrackingLimits.validateKey("model tag", k));
        db.write(d -> {
            LoggedModel model = requireModel(modelId);
            upsertModelTags(modelId, Long.parseLong(model.experimentId().value()), tags);
            return null;
        });
    }

    @Override
    public void deleteLoggedModelTag(ModelId modelId, String key) {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(key, "key is null");
        db.write(d -> {
            requireModel(modelId);
            PreparedStatement delete = d.prepare("DELETE FROM logged_model_tags WHERE model_id = ? AND tag_key = ?");
            delete.setString(1, modelId.value());
            delete.setString(2, key);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public void logModelMetrics(RunId runId, ModelId modelId, List<Metric> metrics, Optional<Dataset> dataset) {
        requireNonNull(runId, "runId is null");
        requireNonNull(modelId, "modelId is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(dataset, "dataset is null");
        TrackingLimits.validateBatch(metrics, List.of(), List.of());
        if (metrics.isEmpty()) {
            return;
        }
        db.write(d -> {
            SqliteRunStore.requireActiveRun(d, runId);
            requireModel(modelId);
            SqliteRunStore.insertMetrics(d, runId, metrics);
            PreparedStatement insert = d.prepare("INSERT OR IGNORE INTO logged_model_metrics (model_id, metric_name,"
                    + " metric_timestamp_ms, metric_step, metric_value, experiment_id, run_id, dataset_uuid, dataset_name,"
                    + " dataset_digest) SELECT ?, ?, ?, ?, ?, experiment_id, ?, NULL, ?, ? FROM runs WHERE run_uuid = ?");
            for (Metric metric : metrics) {
                insert.setString(1, modelId.value());
                insert.setString(2, metric.key());
                insert.setLong(3, metric.timestampMillis());
                insert.setLong(4, metric.step());
                insert.setDouble(5, SqliteRunStore.storedValue(metric.value()));
                insert.setString(6, runId.value());
                insert.setString(7, dataset.map(Dataset::name).orElse(null));
                insert.setString(8, dataset.map(Dataset::digest).orElse(null));
                insert.setString(9, runId.value());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<LoggedModel> getLoggedModel(ModelId modelId) {
        requireNonNull(modelId, "modelId is null");
        return db.read(d -> loggedModel(modelId));
    }

    private Optional<LoggedModel> loggedModel(ModelId id) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + MODEL_COLUMNS + " FROM logged_models WHERE model_id = ?"
                + " AND lifecycle_stage != 'deleted'");
        query.setString(1, id.value());
        List<LoggedModel> found = models(query);
        return found.stream().findFirst();
    }

    private List<LoggedModel> models(PreparedStatement query) throws SQLException {
        record Row(String id, long experiment, String name, String location, long created, long updated, int status,
                String type, String run) {}
        List<Row> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                rows.add(new Row(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getLong(5), r.getLong(6), r.getInt(7),
                        r.getString(8), r.getString(9)));
            }
        }
        List<LoggedModel> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(new LoggedModel(ModelId.of(row.id()), ExperimentId.of(Long.toString(row.experiment())), row.name(), row.location(),
                    row.created(), row.updated(), LoggedModelStatus.fromNumber(row.status()), Optional.ofNullable(row.run()).map(RunId::of),
                    Optional.ofNullable(row.type()), keyValues("SELECT param_key, param_value FROM logged_model_params WHERE model_id = ?",
                            row.id()), keyValues("SELECT tag_key, tag_value FROM logged_model_tags WHERE model_id = ?", row.id()),
                    modelMetrics(row.id())));
        }
        return out;
    }

    private Map<String, String> keyValues(String sql, String id) throws SQLException {
        PreparedStatement query = db.prepare(sql);
        query.setString(1, id);
        Map<String, String> out = new HashMap<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                out.put(rows.getString(1), nullToEmpty(rows.getString(2)));
            }
        }
        return out;
    }

    private List<ModelMetric> modelMetrics(String id) throws SQLException {
        PreparedStatement query = db.prepare("SELECT metric_name, metric_value, metric_timestamp_ms, metric_step, run_id,"
                + " dataset_name, dataset_digest FROM logged_model_metrics WHERE model_id = ? ORDER BY metric_name, metric_step,"
                + " metric_timestamp_ms");
        query.setString(1, id);
        List<ModelMetric> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                double value = rows.getDouble(2);
                if (rows.wasNull()) {
                    value = Double.NaN;
                }
                out.add(new ModelMetric(rows.getString(1), value, rows.getLong(3), rows.getLong(4), RunId.of(rows.getString(5)),
                        Optional.ofNullable(rows.getString(6)), Optional.ofNullable(rows.getString(7))));
            }
        }
        return out;
    }

    @Override
    public List<LoggedModel> searchLoggedModels(ExperimentId experimentId) {
        requireNonNull(experimentId, "experimentId is null");
        Optional<Long> id = numericId(experimentId);
        if (id.isEmpty()) {
            return List.of();
        }
        return db.read(d -> {
            PreparedStatement query = d.prepare("SELECT " + MODEL_COLUMNS + " FROM logged_models WHERE experiment_id = ?"
                    + " AND lifecycle_stage = 'active' ORDER BY creation_timestamp_ms DESC, model_id");
            query.setLong(1, id.get());
            return models(query);
        });
    }

    // ---------------------------------------------------------------- registry

    @Override
    public RegisteredModel createRegisteredModel(String name) {
        ModelRegistries.validateName(name);
        return db.write(d -> {
            Optional<RegisteredModel> existing = registeredModel(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            long now = clock.millis();
            PreparedStatement insert = d.prepare("INSERT INTO registered_models (name, creation_time, last_updated_time, description,"
                    + " workspace) VALUES (?, ?, ?, NULL, ?)");
            insert.setString(1, name);
            insert.setLong(2, now);
            insert.setLong(3, now);
            insert.setString(4, WORKSPACE);
            insert.executeUpdate();
            return registeredModel(name).orElseThrow();
        });
    }

    private Optional<RegisteredModel> registeredModel(String name) throws SQLException {
        PreparedStatement query = db.prepare("SELECT name, creation_time, last_updated_time, description FROM registered_models"
                + " WHERE workspace = ? AND name = ?");
        query.setString(1, WORKSPACE);
        query.setString(2, name);
        long created;
        long updated;
        String description;
        try (ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            created = rows.getLong(2);
            updated = rows.getLong(3);
            description = rows.getString(4);
        }
        PreparedStatement tagQuery = db.prepare("SELECT \"key\", value FROM registered_model_tags WHERE workspace = ? AND name = ?");
        tagQuery.setString(1, WORKSPACE);
        tagQuery.setString(2, name);
        Map<String, String> tags = new HashMap<>();
        try (ResultSet rows = tagQuery.executeQuery()) {
            while (rows.next()) {
                tags.put(rows.getString(1), nullToEmpty(rows.getString(2)));
            }
        }
        return Optional.of(new RegisteredModel(name, created, updated, Optional.ofNullable(description).filter(d -> !d.isEmpty()),
                aliases(name), tags));
    }

    private Map<String, Integer> aliases(String name) throws SQLException {
        PreparedStatement query = db.prepare("SELECT alias, version FROM registered_model_aliases WHERE workspace = ? AND name = ?");
        query.setString(1, WORKSPACE);
        query.setString(2, name);
        Map<String, Integer> out = new LinkedHashMap<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                out.put(rows.getString(1), rows.getInt(2));
            }
        }
        return out;
    }

    @Override
    public ModelVersion createModelVersion(String name, ModelId modelId) {
        requireNonNull(name, "name is null");
        requireNonNull(modelId, "modelId is null");
        return db.write(d -> {
            if (registeredModel(name).isEmpty()) {
                throw ModelRegistries.registeredModelNotFound(name);
            }
            LoggedModel model = requireModel(modelId);
            if (model.status() != LoggedModelStatus.READY) {
                throw ModelRegistries.notReady(modelId, model.status());
            }
            PreparedStatement max = d.prepare("SELECT coalesce(max(version), 0) FROM model_versions WHERE workspace = ? AND name = ?");
            max.setString(1, WORKSPACE);
            max.setString(2, name);
            int version;
            try (ResultSet rows = max.executeQuery()) {
                rows.next();
                version = rows.getInt(1) + 1;
            }
            long now = clock.millis();
            PreparedStatement insert = d.prepare("INSERT INTO model_versions (name, version, creation_time, last_updated_time,"
                    + " description, user_id, current_stage, source, run_id, status, status_message, run_link, storage_location,"
                    + " workspace) VALUES (?, ?, ?, ?, NULL, NULL, 'None', ?, ?, 'READY', NULL, NULL, ?, ?)");
            insert.setString(1, name);
            insert.setInt(2, version);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.setString(5, model.uri());
            insert.setString(6, model.sourceRunId().map(RunId::value).orElse(null));
            insert.setString(7, model.artifactLocation());
            insert.setString(8, WORKSPACE);
            insert.executeUpdate();
            PreparedStatement touch = d.prepare("UPDATE registered_models SET last_updated_time = ? WHERE workspace = ? AND name = ?");
            touch.setLong(1, now);
            touch.setString(2, WORKSPACE);
            touch.setString(3, name);
            touch.executeUpdate();
            String tag = MlflowModelVersionsTag.append(Optional.ofNullable(model.tags().get(MODEL_VERSIONS_TAG)), name, version);
            upsertModelTags(modelId, Long.parseLong(model.experimentId().value()), Map.of(MODEL_VERSIONS_TAG, tag));
            return modelVersion(name, version).orElseThrow();
        });
    }

    private Optional<ModelVersion> modelVersion(String name, int version) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE workspace = ? AND name = ?"
                + " AND version = ?");
        query.setString(1, WORKSPACE);
        query.setString(2, name);
        query.setInt(3, version);
        return versions(query, name).stream().findFirst();
    }

    private List<ModelVersion> versions(PreparedStatement query, String name) throws SQLException {
        record Row(int version, long created, long updated, String source, String run, String status, String location) {}
        List<Row> rows = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                rows.add(new Row(r.getInt(2), r.getLong(3), r.getLong(4), nullToEmpty(r.getString(5)), r.getString(6),
                        nullToEmpty(r.getString(7)), nullToEmpty(r.getString(8))));
            }
        }
        Map<String, Integer> aliases = aliases(name);
        List<ModelVersion> out = new ArrayList<>();
        for (Row row : rows) {
            List<String> names = aliases.entrySet().stream().filter(e -> e.getValue() == row.version()).map(Map.Entry::getKey).sorted()
                    .toList();
            out.add(new ModelVersion(name, row.version(), row.created(), row.updated(), row.source(),
                    Optional.ofNullable(row.run()).map(RunId::of), modelIdOf(row.source()), row.status(), row.location(), names));
        }
        return out;
    }

    /** MLflow derives a version's model id from its source {@code models:/<model id>}. */
    static Optional<ModelId> modelIdOf(String source) {
        try {
            return ModelUri.parse(source).modelId();
        } catch (CropcastException e) {
            return Optional.empty();
        }
    }

    @Override
    public void setAlias(String name, String alias, int version) {
        ModelRegistries.validateAlias(alias);
        requireNonNull(name, "name is null");
        db.write(d -> {
            if (registeredModel(name).isEmpty()) {
                throw ModelRegistries.registeredModelNotFound(name);
            }
            if (modelVersion(name, version).isEmpty()) {
                throw ModelRegistries.versionNotFound(name, version);
            }
            PreparedStatement upsert = d.prepare("INSERT INTO registered_model_aliases (alias, version, name, workspace) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (workspace, name, alias) DO UPDATE SET version = excluded.version");
            upsert.setString(1, alias);
            upsert.setInt(2, version);
            upsert.setString(3, name);
            upsert.setString(4, WORKSPACE);
            upsert.executeUpdate();
            return null;
        });
    }

    @Override
    public void setRegisteredModelDescription(String name, String description) {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        db.write(d -> {
            PreparedStatement update = d.prepare("UPDATE registered_models SET description = ?, last_updated_time = ?"
                    + " WHERE workspace = ? AND name = ?");
            update.setString(1, description);
            update.setLong(2, clock.millis());
            update.setString(3, WORKSPACE);
            update.setString(4, name);
            if (update.executeUpdate() == 0) {
                throw ModelRegistries.registeredModelNotFound(name);
            }
            return null;
        });
    }

    @Override
    public void setRegisteredModelTags(String name, Map<String, String> tags) {
        requireNonNull(name, "name is null");
        tags.keySet().forEach(k -> TrackingLimits.validateKey("registered model tag", k));
        db.write(d -> {
            if (registeredModel(name).isEmpty()) {
                throw ModelRegistries.registeredModelNotFound(name);
            }
            PreparedStatement upsert = d.prepare("INSERT INTO registered_model_tags (\"key\", value, name, workspace) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (workspace, \"key\", name) DO UPDATE SET value = excluded.value");
            for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
                upsert.setString(1, tag.getKey());
                upsert.setString(2, tag.getValue());
                upsert.setString(3, name);
                upsert.setString(4, WORKSPACE);
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<RegisteredModel> getRegisteredModel(String name) {
        requireNonNull(name, "name is null");
        return db.read(d -> registeredModel(name));
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String name, int version) {
        requireNonNull(name, "name is null");
        return db.read(d -> modelVersion(name, version));
    }

    @Override
    public Optional<ModelVersion> getModelVersionByAlias(String name, String alias) {
        requireNonNull(name, "name is null");
        requireNonNull(alias, "alias is null");
        return db.read(d -> {
            Integer version = aliases(name).get(alias);
            return version == null ? Optional.empty() : modelVersion(name, version);
        });
    }

    @Override
    public List<RegisteredModel> listRegisteredModels() {
        return db.read(d -> {
            PreparedStatement query = d.prepare("SELECT name FROM registered_models WHERE workspace = ? ORDER BY name");
            query.setString(1, WORKSPACE);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            List<RegisteredModel> out = new ArrayList<>();
            for (String name : names) {
                out.add(registeredModel(name).orElseThrow());
            }
            return out;
        });
    }

    @Override
    public List<ModelVersion> listModelVersions(String name) {
        requireNonNull(name, "name is null");
        return db.read(d -> {
            if (registeredModel(name).isEmpty()) {
                throw ModelRegistries.registeredModelNotFound(name);
            }
            PreparedStatement query = d.prepare("SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE workspace = ? AND name = ?"
                    + " ORDER BY version DESC");
            query.setString(1, WORKSPACE);
            query.setString(2, name);
            return versions(query, name);
        });
    }

    // ---------------------------------------------------------------- lineage

    @Override
    public void logInputs(RunId runId, List<DatasetInput> datasets, List<ModelId> models) {
        requireNonNull(runId, "runId is null");
        requireNonNull(datasets, "datasets is null");
        requireNonNull(models, "models is null");
        db.write(d -> {
            SqliteRunStore.requireActiveRun(d, runId);
            long experimentId = runExperiment(runId);
            Map<List<String>, DatasetInput> unique = new LinkedHashMap<>();
            for (DatasetInput input : datasets) {
                unique.putIfAbsent(List.of(input.dataset().name(), input.dataset().digest()), input);
            }
            for (DatasetInput input : unique.values()) {
                String datasetUuid = datasetUuid(experimentId, input.dataset());
                PreparedStatement exists = d.prepare("SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ?"
                        + " AND destination_type = 'RUN' AND destination_id = ?");
                exists.setString(1, datasetUuid);
                exists.setString(2, runId.value());
                boolean linked;
                try (ResultSet rows = exists.executeQuery()) {
                    linked = rows.next();
                }
                if (linked) {
                    continue;
                }
                String inputUuid = newUuidHex();
                insertInput(inputUuid, "DATASET", datasetUuid, "RUN", runId.value(), 0);
                PreparedStatement tag = d.prepare("INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)");
                for (Map.Entry<String, String> t : new java.util.TreeMap<>(input.tags()).entrySet()) {
                    tag.setString(1, inputUuid);
                    tag.setString(2, t.getKey());
                    tag.setString(3, t.getValue());
                    tag.executeUpdate();
                }
            }
            for (ModelId model : models) {
                insertInput(newUuidHex(), "RUN_INPUT", runId.value(), "MODEL_INPUT", model.value(), 0);
            }
            return null;
        });
    }

    private long runExperiment(RunId runId) throws SQLException {
        PreparedStatement query = db.prepare("SELECT experiment_id FROM runs WHERE run_uuid = ?");
        query.setString(1, runId.value());
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The experiment's dataset with this name and digest, inserted if new. */
    private String datasetUuid(long experimentId, Dataset dataset) throws SQLException {
        PreparedStatement query = db.prepare("SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?");
        query.setLong(1, experimentId);
        query.setString(2, dataset.name());
        query.setString(3, dataset.digest());
        try (ResultSet rows = query.executeQuery()) {
            if (rows.next()) {
                return rows.getString(1);
            }
        }
        String uuid = newUuidHex();
        PreparedStatement insert = db.prepare("INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type,"
                + " dataset_source, dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, uuid);
        insert.setLong(2, experimentId);
        insert.setString(3, dataset.name());
        insert.setString(4, dataset.digest());
        insert.setString(5, dataset.sourceType());
        insert.setString(6, dataset.source());
        insert.setString(7, dataset.schema().orElse(null));
        insert.setString(8, dataset.profile().orElse(null));
        insert.executeUpdate();
        return uuid;
    }

    private void insertInput(String uuid, String sourceType, String sourceId, String destinationType, String destinationId, long step)
            throws SQLException {
        PreparedStatement insert = db.prepare("INSERT OR IGNORE INTO inputs (input_uuid, source_type, source_id, destination_type,"
                + " destination_id, step) VALUES (?, ?, ?, ?, ?, ?)");
        insert.setString(1, uuid);
        insert.setString(2, sourceType);
        insert.setString(3, sourceId);
        insert.setString(4, destinationType);
        insert.setString(5, destinationId);
        insert.setLong(6, step);
        insert.executeUpdate();
    }

    @Override
    public void logOutputs(RunId runId, List<ModelOutput> outputs) {
        requireNonNull(runId, "runId is null");
        requireNonNull(outputs, "outputs is null");
        db.write(d -> {
            SqliteRunStore.requireActiveRun(d, runId);
            for (ModelOutput output : outputs) {
                insertInput(newUuidHex(), "RUN_OUTPUT", runId.value(), "MODEL_OUTPUT", output.modelId().value(), output.step());
            }
            return null;
        });
    }

    @Override
    public RunInputs getRunInputs(RunId runId) {
        requireNonNull(runId, "runId is null");
        return db.read(d -> {
            SqliteRunStore.lifecycleOf(d, runId);
            PreparedStatement query = d.prepare("SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source,"
                    + " d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id"
                    + " WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = ? ORDER BY d.name, d.digest");
            query.setString(1, runId.value());
            Map<String, Dataset> byInput = new LinkedHashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byInput.put(rows.getString(1), new Dataset(rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            Optional.ofNullable(rows.getString(6)), Optional.ofNullable(rows.getString(7))));
                }
            }
            List<DatasetInput> inputs = new ArrayList<>();
            for (Map.Entry<String, Dataset> entry : byInput.entrySet()) {
                inputs.add(new DatasetInput(entry.getValue(), keyValues("SELECT name, value FROM input_tags WHERE input_uuid = ?",
                        entry.getKey())));
            }
            return new RunInputs(inputs, linkedModels("RUN_INPUT", "MODEL_INPUT", runId).stream().map(ModelOutput::modelId).toList());
        });
    }

    private List<ModelOutput> linkedModels(String sourceType, String destinationType, RunId runId) throws SQLException {
        PreparedStatement query = db.prepare("SELECT destination_id, step FROM inputs WHERE source_type = ? AND source_id = ?"
                + " AND destination_type = ? ORDER BY rowid");
        query.setString(1, sourceType);
        query.setString(2, runId.value());
        query.setString(3, destinationType);
        List<ModelOutput> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                out.add(new ModelOutput(ModelId.of(rows.getString(1)), rows.getLong(2)));
            }
        }
        return out;
    }

    @Override
    public List<ModelOutput> getRunOutputs(RunId runId) {
        requireNonNull(runId, "runId is null");
        return db.read(d -> {
            SqliteRunStore.lifecycleOf(d, runId);
            return linkedModels("RUN_OUTPUT", "MODEL_OUTPUT", runId);
        });
    }

    @Override
    public List<Dataset> listDatasets(ExperimentId experimentId) {
        requireNonNull(experimentId, "experimentId is null");
        Optional<Long> id = numericId(experimentId);
        if (id.isEmpty()) {
            return List.of();
        }
        return db.read(d -> {
            PreparedStatement query = d.prepare("SELECT name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile"
                    + " FROM datasets WHERE experiment_id = ? ORDER BY name, digest");
            query.setLong(1, id.get());
            List<Dataset> out = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(new Dataset(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            Optional.ofNullable(rows.getString(5)), Optional.ofNullable(rows.getString(6))));
                }
            }
            return out;
        });
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
