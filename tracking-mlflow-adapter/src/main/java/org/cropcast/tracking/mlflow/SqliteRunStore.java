package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.slf4j.LoggerFactory;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LifecycleStage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunData;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStores;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingLimits;

/**
 * The embedded tracking store: MLflow's own SQLite database, written from Java so Python MLflow
 * and {@code mlflow ui} read cropcast's runs and cropcast reads theirs. Rows are written exactly
 * as MLflow 3.17.2's {@code SqlAlchemyStore} writes them (see docs/SQLITE-STORE.md):
 * <ul>
 *   <li>runs: 32-hex ids, status RUNNING, source_type UNKNOWN, empty source name/version/entry
 *       point, {@code artifact_uri = <experiment artifact_location>/<run id>/artifacts}, and the
 *       {@code mlflow.runName} and {@code mlflow.user} tags;</li>
 *   <li>metrics: NaN stored as value 0 with {@code is_nan = 1}, ±infinity as ±1.7976931348623157e308
 *       (read back as infinities), exact duplicate rows ignored, {@code latest_metrics} holding
 *       the row with the greatest (step, timestamp, value);</li>
 *   <li>params write-once; tags replace; {@code mlflow.runName} also renames the run.</li>
 * </ul>
 * Unlike Python MLflow's {@code log_batch}, a batch here is one transaction: all or nothing.
 */
public final class SqliteRunStore implements RunStore {
    static final String RUN_NAME_TAG = RunStores.RUN_NAME_TAG;
    static final String USER_TAG = RunStores.USER_TAG;
    private static final double MAX_FLOAT = Double.MAX_VALUE; // 1.7976931348623157e308, MLflow's stand-in for inf

    private final SqliteDatabase db;
    private final String artifactRoot;
    private final Clock clock;
    private final RandomGenerator random;

    private SqliteRunStore(SqliteDatabase db, String artifactRoot, Clock clock, RandomGenerator random) {
        this.db = db;
        this.artifactRoot = artifactRoot;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens (or creates) the database of a {@code sqlite:} tracking URI.
     *
     * @param artifactRoot the root under which new experiments get their artifact location;
     *     empty for {@code mlartifacts/} beside the database (as a {@code file:} URI)
     * @param lockTimeout how long a write waits for another process's write lock, in total
     */
    public static SqliteRunStore open(SqliteTrackingUri uri, Optional<String> artifactRoot, Duration lockTimeout,
            Clock clock, RandomGenerator random) {
        requireNonNull(uri, "uri is null");
        requireNonNull(artifactRoot, "artifactRoot is null");
        requireNonNull(lockTimeout, "lockTimeout is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
        String root = stripTrailingSlash(artifactRoot.orElseGet(() -> defaultArtifactRoot(uri)));
        return new SqliteRunStore(SqliteDatabase.open(uri, root, lockTimeout, clock), root, clock, random);
    }

    /** {@code file:///.../mlartifacts} beside the database file. */
    public static String defaultArtifactRoot(SqliteTrackingUri uri) {
        return stripTrailingSlash(defaultArtifactDirectory(uri).toUri().toString());
    }

    public static Path defaultArtifactDirectory(SqliteTrackingUri uri) {
        return uri.directory().resolve("mlartifacts");
    }

    public SqliteTrackingUri uri() {
        return db.uri();
    }

    /** The connection, for the model store beside this run store ({@link SqliteModelStore}). */
    SqliteDatabase database() {
        return db;
    }

    /** MLflow's {@code append_to_uri_path}: joins with exactly one '/' ({@code mlflow-artifacts:/} + 1 = {@code mlflow-artifacts:/1}). */
    static String appendToUriPath(String base, String... parts) {
        StringBuilder out = new StringBuilder(base);
        for (String part : parts) {
            if (out.length() == 0 || out.charAt(out.length() - 1) != '/') {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    /** Drops trailing slashes, keeping a scheme's own ("mlflow-artifacts:/", "s3://"). */
    private static String stripTrailingSlash(String text) {
        String out = text;
        while (out.endsWith("/") && !out.endsWith(":/") && !out.endsWith("://")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    // ---------------------------------------------------------------- experiments

    @Override
    public Experiment getOrCreateExperiment(String name) {
        requireNonNull(name, "name is null");
        TrackingLimits.validateExperimentName(name);
        Optional<Experiment> existing = findExperiment(name);
        if (existing.isPresent()) {
            return requireActive(existing.get());
        }
        return db.write(d -> {
            Optional<Experiment> raced = experimentByName(name);
            if (raced.isPresent()) {
                return requireActive(raced.get());
            }
            long now = clock.millis();
            PreparedStatement insert = d.prepare("INSERT INTO experiments (name, artifact_location, lifecycle_stage,"
                    + " creation_time, last_update_time) VALUES (?, NULL, 'active', ?, ?)");
            insert.setString(1, name);
            insert.setLong(2, now);
            insert.setLong(3, now);
            insert.executeUpdate();
            long id;
            try (ResultSet rows = d.prepare("SELECT last_insert_rowid()").executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
            String location = appendToUriPath(artifactRoot, Long.toString(id));
            PreparedStatement update = d.prepare("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?");
            update.setString(1, location);
            update.setLong(2, id);
            update.executeUpdate();
            return new Experiment(ExperimentId.of(Long.toString(id)), name, location, LifecycleStage.ACTIVE);
        });
    }

    private static Experiment requireActive(Experiment experiment) {
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "experiment '" + SqliteValidation.quote(experiment.name())
                    + "' (id " + experiment.id() + ") is deleted; restore it or choose another name");
        }
        return experiment;
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        requireNonNull(name, "name is null");
        return db.read(d -> experimentByName(name));
    }

    private Optional<Experiment> experimentByName(String name) throws SQLException {
        PreparedStatement query = db.prepare("SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments"
                + " WHERE workspace = 'default' AND name = ?");
        query.setString(1, name);
        return experiments(query).stream().findFirst();
    }

    @Override
    public Optional<Experiment> getExperiment(ExperimentId id) {
        requireNonNull(id, "id is null");
        Optional<Long> numeric = parseExperimentId(id);
        if (numeric.isEmpty()) {
            return Optional.empty();
        }
        return db.read(d -> {
            PreparedStatement query = d.prepare("SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments"
                    + " WHERE experiment_id = ?");
            query.setLong(1, numeric.get());
            return experiments(query).stream().findFirst();
        });
    }

    @Override
    public List<Experiment> listExperiments() {
        return db.read(d -> experiments(d.prepare("SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments"
                + " WHERE lifecycle_stage = 'active' ORDER BY experiment_id")));
    }

    private static List<Experiment> experiments(PreparedStatement query) throws SQLException {
        List<Experiment> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                out.add(new Experiment(ExperimentId.of(Long.toString(rows.getLong(1))), rows.getString(2),
                        nullToEmpty(rows.getString(3)), stage(rows.getString(4))));
            }
        }
        return out;
    }

    private static Optional<Long> parseExperimentId(ExperimentId id) {
        try {
            return Optional.of(Long.parseLong(id.value()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- runs

    @Override
    public RunInfo createRun(CreateRunRequest request) {
        requireNonNull(request, "request is null");
        SqliteValidation.timestamp("start time", request.startTimeMillis());
        Map<String, String> tags = tagMap(request.tags());
        String runName = request.runName();
        String tagName = tags.get(RUN_NAME_TAG);
        if (tagName != null) {
            RunStores.checkRunNameTag(runName, tagName);
        }
        if (runName.isEmpty()) {
            runName = tagName != null ? tagName : SqliteRunNames.generate(random);
        }
        TrackingLimits.validateRunName(runName);
        tags.put(RUN_NAME_TAG, runName);
        String userId = tags.getOrDefault(USER_TAG, request.userId());
        if (!userId.isEmpty()) {
            tags.putIfAbsent(USER_TAG, userId);
        }
        Optional<Long> experimentId = parseExperimentId(request.experimentId());
        RunId runId = RunId.random(random);
        String name = runName;
        return db.write(d -> {
            Experiment experiment = experimentId.isEmpty() ? null : experimentById(experimentId.get());
            if (experiment == null) {
                throw new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                        "experiment " + SqliteValidation.quote(request.experimentId().value()) + " does not exist");
            }
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                        "experiment " + experiment.id() + " must be in the 'active' state; it is deleted");
            }
            String artifactUri = appendToUriPath(experiment.artifactLocation(), runId.value(), "artifacts");
            PreparedStatement insert = d.prepare("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name,"
                    + " user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id,"
                    + " deleted_time) VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?, NULL)");
            insert.setString(1, runId.value());
            insert.setString(2, name);
            insert.setString(3, userId);
            insert.setLong(4, request.startTimeMillis());
            insert.setString(5, artifactUri);
            insert.setLong(6, experimentId.get());
            insert.executeUpdate();
            upsertTags(runId, tags);
            return new RunInfo(runId, experiment.id(), name, userId, RunStatus.RUNNING, request.startTimeMillis(),
                    Optional.empty(), artifactUri, LifecycleStage.ACTIVE);
        });
    }

    private Experiment experimentById(long id) throws SQLException {
        PreparedStatement query = db.prepare("SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments"
                + " WHERE experiment_id = ?");
        query.setLong(1, id);
        return experiments(query).stream().findFirst().orElse(null);
    }

    @Override
    public RunInfo reopenRun(RunId runId) {
        requireNonNull(runId, "runId is null");
        return db.write(d -> {
            requireActiveRun(runId);
            // as MLflow's start_run(run_id=...): RUNNING again, the previous end time kept until the run ends again
            PreparedStatement update = d.prepare("UPDATE runs SET status = 'RUNNING' WHERE run_uuid = ?");
            update.setString(1, runId.value());
            update.executeUpdate();
            return runInfo(runId).orElseThrow();
        });
    }

    @Override
    public void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        RunStores.requireTerminal(status);
        SqliteValidation.timestamp("end time", endTimeMillis);
        db.write(d -> {
            requireActiveRun(runId);
            PreparedStatement update = d.prepare("UPDATE runs SET status = ?, end_time = ? WHERE run_uuid = ?");
            update.setString(1, status.name());
            update.setLong(2, endTimeMillis);
            update.setString(3, runId.value());
            update.executeUpdate();
            return null;
        });
    }

    @Override
    public void deleteRun(RunId runId) {
        requireNonNull(runId, "runId is null");
        db.write(d -> {
            lifecycleOf(runId);
            PreparedStatement update = d.prepare("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?");
            update.setLong(1, clock.millis());
            update.setString(2, runId.value());
            update.executeUpdate();
            return null;
        });
    }

    /** The run's lifecycle stage; RUN_NOT_FOUND if there is no such run. */
    private LifecycleStage lifecycleOf(RunId runId) throws SQLException {
        return lifecycleOf(db, runId);
    }

    /** The run's lifecycle stage; RUN_NOT_FOUND if there is no such run. */
    static LifecycleStage lifecycleOf(SqliteDatabase db, RunId runId) throws SQLException {
        PreparedStatement query = db.prepare("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?");
        query.setString(1, runId.value());
        try (ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw RunStores.runNotFound(runId);
            }
            return stage(rows.getString(1));
        }
    }

    /** RUN_NOT_FOUND or INVALID_RUN_STATE unless the run is active; inside a transaction of {@code db}. */
    static void requireActiveRun(SqliteDatabase db, RunId runId) throws SQLException {
        LifecycleStage stage = lifecycleOf(db, runId);
        if (stage != LifecycleStage.ACTIVE) {
            throw RunStores.runNotActive(runId);
        }
    }

    private void requireActiveRun(RunId runId) throws SQLException {
        requireActiveRun(db, runId);
    }

    // ---------------------------------------------------------------- logging

    @Override
    public void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        requireNonNull(runId, "runId is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(params, "params is null");
        requireNonNull(tags, "tags is null");
        TrackingLimits.validateBatch(metrics, params, tags);
        Map<String, String> paramMap = new LinkedHashMap<>();
        for (Param param : params) {
            paramMap.put(param.key(), param.value());
        }
        Map<String, String> tagMap = tagMap(tags);
        if (tagMap.containsKey(RUN_NAME_TAG)) {
            TrackingLimits.validateRunName(tagMap.get(RUN_NAME_TAG));
        }
        if (metrics.isEmpty() && paramMap.isEmpty() && tagMap.isEmpty()) {
            return;
        }
        db.write(d -> {
            requireActiveRun(runId);
            insertParams(runId, paramMap);
            insertMetrics(db, runId, metrics);
            upsertTags(runId, tagMap);
            if (tagMap.containsKey(RUN_NAME_TAG)) {
                PreparedStatement rename = d.prepare("UPDATE runs SET name = ? WHERE run_uuid = ?");
                rename.setString(1, tagMap.get(RUN_NAME_TAG));
                rename.setString(2, runId.value());
                rename.executeUpdate();
            }
            return null;
        });
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag tag : tags) {
            TrackingLimits.validateTag(tag);
            out.put(tag.key(), tag.value()); // later values win, as in MLflow's set_tags
        }
        return out;
    }

    private void insertParams(RunId runId, Map<String, String> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        PreparedStatement query = db.prepare("SELECT value FROM params WHERE run_uuid = ? AND key = ?");
        Map<String, String> logged = new LinkedHashMap<>();
        Map<String, String> fresh = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            query.setString(1, runId.value());
            query.setString(2, param.getKey());
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    logged.put(param.getKey(), rows.getString(1));
                } else {
                    fresh.put(param.getKey(), param.getValue());
                }
            }
        }
        RunStores.checkParamConflicts(runId, logged, params.entrySet().stream().map(e -> new Param(e.getKey(), e.getValue())).toList());
        PreparedStatement insert = db.prepare("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)");
        for (Map.Entry<String, String> param : fresh.entrySet()) {
            insert.setString(1, param.getKey());
            insert.setString(2, param.getValue());
            insert.setString(3, runId.value());
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /** Inserts run metrics and updates latest_metrics; only inside a write transaction of {@code db}. */
    static void insertMetrics(SqliteDatabase db, RunId runId, List<Metric> metrics) throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        PreparedStatement insert = db.prepare("INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        Map<String, double[]> latest = new HashMap<>(); // key -> {step, timestamp, stored value, is_nan}
        for (Metric metric : metrics) {
            boolean nan = Double.isNaN(metric.value());
            double stored = storedValue(metric.value());
            insert.setString(1, metric.key());
            insert.setDouble(2, stored);
            insert.setLong(3, metric.timestampMillis());
            insert.setString(4, runId.value());
            insert.setLong(5, metric.step());
            insert.setInt(6, nan ? 1 : 0);
            insert.addBatch();
            latest.merge(metric.key(), new double[] {metric.step(), metric.timestampMillis(), stored, nan ? 1 : 0},
                    (a, b) -> newer(b, a) ? b : a);
        }
        insert.executeBatch();
        PreparedStatement upsert = db.prepare("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value,"
                + " timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan"
                + " WHERE (excluded.step, excluded.timestamp, excluded.value)"
                + " > (latest_metrics.step, coalesce(latest_metrics.timestamp, -1), latest_metrics.value)");
        for (Map.Entry<String, double[]> entry : latest.entrySet()) {
            double[] m = entry.getValue();
            upsert.setString(1, entry.getKey());
            upsert.setDouble(2, m[2]);
            upsert.setLong(3, (long) m[1]);
            upsert.setLong(4, (long) m[0]);
            upsert.setInt(5, (int) m[3]);
            upsert.setString(6, runId.value());
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    /** MLflow's comparison: (step, timestamp, value) strictly greater. */
    private static boolean newer(double[] a, double[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return false;
    }

    /** MLflow's sanitize_metric_value: NaN as 0 (with is_nan), ±inf as ±max double. */
    static double storedValue(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? MAX_FLOAT : -MAX_FLOAT;
        }
        return value;
    }

    private static double readValue(double stored, boolean nan) {
        if (nan) {
            return Double.NaN;
        }
        if (stored == MAX_FLOAT) {
            return Double.POSITIVE_INFINITY;
        }
        return stored == -MAX_FLOAT ? Double.NEGATIVE_INFINITY : stored;
    }

    private void upsertTags(RunId runId, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        PreparedStatement upsert = db.prepare("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)"
                + " ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            upsert.setString(1, tag.getKey());
            upsert.setString(2, tag.getValue());
            upsert.setString(3, runId.value());
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Optional<Run> getRun(RunId runId) {
        requireNonNull(runId, "runId is null");
        // one statement (its own consistent snapshot): the run row, its tags, params and latest metrics
        return db.readOne(d -> {
            PreparedStatement query = d.prepare(RUN_AND_DATA);
            query.setString(1, runId.value());
            RunInfo info = null;
            RunDataRows data = new RunDataRows();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(1) == RUN_ROW) {
                        info = runInfo(rows, 1);
                    } else {
                        data.add(rows, 1, 2);
                    }
                }
            }
            return info == null ? Optional.<Run>empty() : Optional.of(new Run(info, data.build()));
        });
    }

    private static final String RUN_COLUMNS = "run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
            + " artifact_uri, lifecycle_stage";
    private static final int RUN_ROW = 0;
    private static final int TAG_ROW = 1;
    private static final int PARAM_ROW = 2;
    private static final int METRIC_ROW = 3;
    /**
     * get_run in one statement: the runs row (kind 0, then {@link #RUN_COLUMNS}), and the run's
     * tags, params and latest metrics as data rows (kind, key, value, timestamp, step, is_nan,
     * padded with NULLs to the runs row's width).
     */
    private static final String RUN_AND_DATA = "SELECT " + RUN_ROW + ", " + RUN_COLUMNS + " FROM runs WHERE run_uuid = ?1"
            + " UNION ALL SELECT " + TAG_ROW + ", key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM tags WHERE run_uuid = ?1"
            + " UNION ALL SELECT " + PARAM_ROW + ", key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM params WHERE run_uuid = ?1"
            + " UNION ALL SELECT " + METRIC_ROW + ", key, value, timestamp, step, is_nan, NULL, NULL, NULL, NULL FROM latest_metrics"
            + " WHERE run_uuid = ?1";
    /**
     * The data rows of many runs in one statement (kind, the run's index in the given list, key,
     * value, timestamp, step, is_nan), the run ids given as one JSON array ({@code json_each}), so
     * that one prepared statement serves any number of runs and each table is read through its
     * run_uuid index once per run.
     */
    private static final String DATA_OF_RUNS = "SELECT " + TAG_ROW + ", j.key, t.key, t.value, NULL, NULL, NULL"
            + " FROM json_each(?1) j JOIN tags t ON t.run_uuid = j.value"
            + " UNION ALL SELECT " + PARAM_ROW + ", j.key, p.key, p.value, NULL, NULL, NULL"
            + " FROM json_each(?1) j JOIN params p ON p.run_uuid = j.value"
            + " UNION ALL SELECT " + METRIC_ROW + ", j.key, m.key, m.value, m.timestamp, m.step, m.is_nan"
            + " FROM json_each(?1) j JOIN latest_metrics m ON m.run_uuid = j.value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Optional<RunInfo> runInfo(RunId runId) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_uuid = ?");
        query.setString(1, runId.value());
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(runInfo(rows, 0)) : Optional.empty();
        }
    }

    /** The RunInfo of the {@link #RUN_COLUMNS} that start after column {@code offset}. */
    private static RunInfo runInfo(ResultSet rows, int offset) throws SQLException {
        long end = rows.getLong(offset + 7);
        Optional<Long> endTime = rows.wasNull() ? Optional.empty() : Optional.of(end);
        String status = rows.getString(offset + 5);
        return new RunInfo(RunId.of(rows.getString(offset + 1)), ExperimentId.of(Long.toString(rows.getLong(offset + 2))),
                nullToEmpty(rows.getString(offset + 3)), nullToEmpty(rows.getString(offset + 4)),
                status == null ? RunStatus.SCHEDULED : RunStatus.valueOf(status), rows.getLong(offset + 6), endTime,
                nullToEmpty(rows.getString(offset + 8)), stage(rows.getString(offset + 9)));
    }

    /**
     * One run's params, tags and latest metrics, gathered from data rows into the immutable maps
     * {@link RunData} keeps (built once from their entries, not copied from a HashMap).
     */
    private static final class RunDataRows {
        @SuppressWarnings("unchecked")
        private static final Map.Entry<String, String>[] NO_TEXT = new Map.Entry[0];
        @SuppressWarnings("unchecked")
        private static final Map.Entry<String, Metric>[] NO_METRICS = new Map.Entry[0];
        private final List<Map.Entry<String, String>> params = new ArrayList<>();
        private final List<Map.Entry<String, String>> tags = new ArrayList<>();
        private final List<Map.Entry<String, Metric>> latest = new ArrayList<>();

        /** Adds a data row: its kind in column {@code kind}, then key, value, timestamp, step, is_nan from column {@code key}. */
        void add(ResultSet rows, int kind, int key) throws SQLException {
            String name = rows.getString(key);
            switch (rows.getInt(kind)) {
                case TAG_ROW -> tags.add(Map.entry(name, nullToEmpty(rows.getString(key + 1))));
                case PARAM_ROW -> params.add(Map.entry(name, rows.getString(key + 1)));
                case METRIC_ROW -> latest.add(Map.entry(name, new Metric(name, readValue(rows.getDouble(key + 1), rows.getInt(key + 4) != 0),
                        rows.getLong(key + 2), rows.getLong(key + 3))));
                default -> throw new IllegalStateException("unknown data row kind " + rows.getInt(kind));
            }
        }

        /** The run's data; each key once (the tables' primary keys are (key, run_uuid)). */
        RunData build() {
            return new RunData(Map.ofEntries(params.toArray(NO_TEXT)), Map.ofEntries(tags.toArray(NO_TEXT)),
                    Map.ofEntries(latest.toArray(NO_METRICS)));
        }
    }

    @Override
    public List<Metric> getMetricHistory(RunId runId, String key) {
        requireNonNull(runId, "runId is null");
        requireNonNull(key, "key is null");
        return db.read(d -> {
            lifecycleOf(runId); // RUN_NOT_FOUND for a run that does not exist
            PreparedStatement query = d.prepare("SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ?"
                    + " ORDER BY step, timestamp, value, is_nan");
            query.setString(1, runId.value());
            query.setString(2, key);
            List<Metric> out = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.add(new Metric(key, readValue(rows.getDouble(1), rows.getInt(4) != 0), rows.getLong(2), rows.getLong(3)));
                }
            }
            return out;
        });
    }

    /** Every history in one query (what a sync reads of each run). */
    @Override
    public java.util.SortedMap<String, List<Metric>> getMetricHistories(RunId runId) {
        requireNonNull(runId, "runId is null");
        return db.read(d -> {
            lifecycleOf(runId); // RUN_NOT_FOUND for a run that does not exist
            PreparedStatement query = d.prepare("SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ?"
                    + " ORDER BY key, step, timestamp, value, is_nan");
            query.setString(1, runId.value());
            java.util.SortedMap<String, List<Metric>> out = new java.util.TreeMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    out.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Metric(key, readValue(rows.getDouble(2), rows.getInt(5) != 0), rows.getLong(3), rows.getLong(4)));
                }
            }
            return out;
        });
    }

    @Override
    public java.util.SortedMap<String, Long> getMetricHistorySizes(RunId runId) {
        requireNonNull(runId, "runId is null");
        return db.read(d -> {
            lifecycleOf(runId); // RUN_NOT_FOUND for a run that does not exist
            PreparedStatement query = d.prepare("SELECT key, count(*) FROM metrics WHERE run_uuid = ? GROUP BY key");
            query.setString(1, runId.value());
            java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), rows.getLong(2));
                }
            }
            return out;
        });
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        requireNonNull(search, "search is null");
        Optional<Long> experimentId = parseExperimentId(search.experimentId());
        if (experimentId.isEmpty()) {
            return List.of();
        }
        return db.read(d -> {
            SqliteSearchQuery sql = SqliteSearchQuery.of(search, experimentId.get(), RUN_COLUMNS);
            PreparedStatement query = d.prepare(sql.sql());
            sql.bind(query);
            List<RunInfo> infos = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    // a row another tool wrote in a shape cropcast cannot represent (a run id MLflow never
                    // makes, an unknown status) is left out, said out loud, not the whole listing
                    try {
                        infos.add(runInfo(rows, 0));
                    } catch (CropcastException | IllegalArgumentException e) {
                        LoggerFactory.getLogger(SqliteRunStore.class).warn("run '{}' left out of the search: {}",
                                rows.getString(1), e.getMessage());
                    }
                }
            }
            return withData(d, infos);
        });
    }

    /** The runs with their data, read in one statement for all of them. */
    private static List<Run> withData(SqliteDatabase d, List<RunInfo> infos) throws SQLException {
        if (infos.isEmpty()) {
            return List.of();
        }
        RunDataRows[] data = new RunDataRows[infos.size()];
        List<String> ids = new ArrayList<>(infos.size());
        for (int i = 0; i < data.length; i++) {
            ids.add(infos.get(i).runId().value());
            data[i] = new RunDataRows();
        }
        PreparedStatement query = d.prepare(DATA_OF_RUNS);
        try {
            query.setString(1, JSON.writeValueAsString(ids));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write run ids as JSON", e);
        }
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                data[rows.getInt(2)].add(rows, 1, 3);
            }
        }
        List<Run> out = new ArrayList<>(infos.size());
        for (int i = 0; i < data.length; i++) {
            out.add(new Run(infos.get(i), data[i].build()));
        }
        return out;
    }

    private static LifecycleStage stage(String value) {
        return value == null ? LifecycleStage.ACTIVE : LifecycleStage.fromMlflowName(value);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public void close() {
        db.close();
    }
}
