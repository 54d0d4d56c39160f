package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code metadata_<stage>.yaml} in a run directory records about a stage's run, so a later
 * invocation can resume it: the MLflow run id, the experiment, and the tracking URI (without
 * credentials).
 */
public record RunRecord(String stage, RunId runId, ExperimentId experimentId, String trackingUri, String createdAt) {
    public RunRecord {
        requireNonNull(stage, "stage is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(experimentId, "experimentId is null");
        trackingUri = Redactor.redact(requireNonNull(trackingUri, "trackingUri is null"));
        requireNonNull(createdAt, "createdAt is null");
    }

    public static String fileName(String stage) {
        return "metadata_" + TrackingLimits.validateKey("stage", stage) + ".yaml";
    }

    public Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("stage", stage);
        doc.put("mlflow_run_id", runId.value());
        doc.put("experiment_id", experimentId.value());
        doc.put("tracking_uri", trackingUri);
        doc.put("created_at", createdAt);
        return doc;
    }

    public void write(Storage storage, DocumentWriter documents, Location runDirectory) {
        Documents.write(storage, documents, runDirectory.resolve(fileName(stage)), toDocument());
    }

    /** The record of a stage in a run directory; empty if the file does not exist. */
    public static Optional<RunRecord> read(Storage storage, DocumentWriter documents, Location runDirectory, String stage) {
        Location file = runDirectory.resolve(fileName(stage));
        if (!storage.exists(file)) {
            return Optional.empty();
        }
        Map<String, Object> doc;
        try (InputStream in = storage.newInputStream(file)) {
            doc = documents.read(in);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (CropcastException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY,
                    file + " is not a valid run record: " + Redactor.truncateForMessage(String.valueOf(e.getMessage())), e);
        }
        if (doc == null) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, file + " is empty");
        }
        try {
            return Optional.of(new RunRecord(
                    text(doc, "stage", file).orElse(stage),
                    RunId.of(text(doc, "mlflow_run_id", file).orElseThrow(() -> missing(file, "mlflow_run_id"))),
                    ExperimentId.of(text(doc, "experiment_id", file).orElseThrow(() -> missing(file, "experiment_id"))),
                    text(doc, "tracking_uri", file).orElse(""),
                    text(doc, "created_at", file).orElse("")));
        } catch (CropcastException e) {
            if (e.errorCode() == TrackingErrorCode.INVALID_ARGUMENT) {
                throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, file + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static Optional<String> text(Map<String, Object> doc, String key, Location file) {
        Object value = doc.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, file + ": '" + key + "' must be a scalar");
        }
        return Optional.of(value.toString());
    }

    private static CropcastException missing(Location file, String key) {
        return new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, file + " has no '" + key + "'");
    }

    /** Writing documents through storage, with every string redacted. */
    static final class Documents {
        private Documents() {}

        static void write(Storage storage, DocumentWriter documents, Location file, Map<String, ?> document) {
            Map<String, Object> redacted = redact(document);
            storage.write(file, out -> documents.write(redacted, out));
        }

        /** A deep copy with every string (keys too) passed through {@link Redactor#redact}. */
        static Map<String, Object> redact(Map<String, ?> document) {
            Map<String, Object> copy = new LinkedHashMap<>();
            document.forEach((k, v) -> copy.put(Redactor.redact(k), redactValue(v)));
            return copy;
        }

        private static Object redactValue(Object value) {
            if (value instanceof String s) {
                return Redactor.redact(s);
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(Redactor.redact(String.valueOf(k)), redactValue(v)));
                return copy;
            }
            if (value instanceof Iterable<?> list) {
                java.util.List<Object> copy = new java.util.ArrayList<>();
                list.forEach(v -> copy.add(redactValue(v)));
                return copy;
            }
            return value;
        }
    }
}
