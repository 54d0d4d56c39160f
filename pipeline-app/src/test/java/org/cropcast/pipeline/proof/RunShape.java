package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a tracked run holds, read back through the store's public API and the artifact location
 * itself: its status, params, the number of rows of every metric's history, and its artifact files
 * (relative path to size). Two runs of one configuration on one data set must have equal shapes
 * whatever else ran beside them: any lost row or file shows as a difference.
 */
record RunShape(RunStatus status, Map<String, String> params, SortedMap<String, Integer> metricRows,
        SortedMap<String, Long> artifacts) {
    private static final Pattern RUN_ID = Pattern.compile("run id: +([0-9a-f]{32})");

    /** The run id a finished {@code cropcast run} printed. */
    static RunId printedRunId(String out) {
        Matcher m = RUN_ID.matcher(out);
        assertThat(m.find()).as("a run id in:\n" + out).isTrue();
        return RunId.of(m.group(1));
    }

    static RunShape of(RunStore store, RunId id, Function<String, SortedMap<String, Long>> artifactLister) {
        Run run = store.getRun(id).orElseThrow(() -> new AssertionError("run " + id + " is missing from the store"));
        SortedMap<String, Integer> rows = new TreeMap<>();
        for (String key : run.data().latestMetrics().keySet()) {
            rows.put(key, store.getMetricHistory(id, key).size());
        }
        return new RunShape(run.info().status(), run.data().params(), rows, artifactLister.apply(run.info().artifactUri()));
    }

    /** The same keys, the same artifact paths; row counts may differ (a resumed run logs its metrics again). */
    SortedSet<String> metricKeys() {
        return new TreeSet<>(metricRows.keySet());
    }

    /** Lists {@code file:} artifact URIs on disk. */
    static SortedMap<String, Long> localArtifacts(String artifactUri) {
        Path root = Path.of(URI.create(artifactUri));
        SortedMap<String, Long> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.put(root.relativize(f).toString(), size(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Lists {@code s3://bucket/prefix} artifact URIs through a raw SDK client (not the code under test). */
    static SortedMap<String, Long> s3Artifacts(S3Client client, String artifactUri) {
        URI uri = URI.create(artifactUri);
        String bucket = uri.getHost();
        String prefix = uri.getPath().replaceFirst("^/", "");
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        SortedMap<String, Long> files = new TreeMap<>();
        String start = prefix;
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(start)).contents()) {
            files.put(object.key().substring(start.length()), object.size());
        }
        return files;
    }

    /** {@code PRAGMA integrity_check} of an SQLite file, read with the plain JDBC driver. */
    static String integrityCheck(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            StringBuilder result = new StringBuilder();
            while (r.next()) {
                result.append(r.getString(1));
            }
            return result.toString();
        }
    }

    /** Run status counts straight from MLflow's {@code runs} table. */
    static Map<String, Integer> statusCounts(Path db) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT status, COUNT(*) FROM runs GROUP BY status")) {
            while (r.next()) {
                counts.put(r.getString(1), r.getInt(2));
            }
        }
        return counts;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
