package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MLflow tracking schema of the pinned reference release, as that release's own migrations
 * leave it in SQLite. The statements are the resource {@code mlflow-sqlite-schema.sql}, generated
 * by {@code src/test/python/generate_sqlite_schema.py} from a database the pinned Python MLflow
 * created (see docs/SQLITE-STORE.md, "Regenerating the schema").
 *
 * @param mlflowVersion the MLflow release the schema was taken from
 * @param alembicHead that release's alembic head revision, stored in {@code alembic_version}
 * @param statements every CREATE and INSERT statement, in order
 */
record SqliteSchema(String mlflowVersion, String alembicHead, List<String> statements) {
    static final String RESOURCE = "mlflow-sqlite-schema.sql";
    private static final String SEPARATOR = "\n-- ;;\n";
    private static final Pattern VERSION = Pattern.compile("^-- mlflow-version: (\\S+)$", Pattern.MULTILINE);
    private static final Pattern HEAD = Pattern.compile("^-- alembic-head: (\\S+)$", Pattern.MULTILINE);

    /**
     * The tables Python MLflow probes before it decides a database is initialised
     * ({@code mlflow.store.db.utils._all_tables_exist}); a database missing one is not MLflow's.
     */
    static final List<String> PROBED_TABLES = List.of("experiments", "runs", "metrics", "params", "tags",
            "experiment_tags", "latest_metrics", "registered_models", "model_versions", "registered_model_tags",
            "model_version_tags", "registered_model_aliases", "datasets", "inputs", "input_tags", "trace_info",
            "trace_tags", "trace_request_metadata", "scorers", "scorer_versions", "jobs", "workspaces");

    private static final SqliteSchema PINNED = load();

    SqliteSchema {
        statements = List.copyOf(statements);
    }

    static SqliteSchema pinned() {
        return PINNED;
    }

    private static SqliteSchema load() {
        String text;
        try (InputStream in = SqliteSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            text = new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Matcher version = VERSION.matcher(text);
        Matcher head = HEAD.matcher(text);
        if (!version.find() || !head.find()) {
            throw new IllegalStateException(RESOURCE + " has no mlflow-version / alembic-head header");
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.split(Pattern.quote(SEPARATOR))) {
            String statement = stripComments(part).strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return new SqliteSchema(version.group(1), head.group(1), statements);
    }

    /** Drops whole-line "--" comments (the header); statements themselves carry none. */
    private static String stripComments(String part) {
        StringBuilder out = new StringBuilder();
        for (String line : part.split("\n", -1)) {
            if (!line.startsWith("-- ")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
