package org.cropcast.pipeline.stages;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingErrorCode;

/** Reads and writes {@code model/model.json} (Jackson) and hashes configurations. */
public final class ModelFiles {
    static final String MODEL_PATH = "model/model.json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ModelFiles() {}

    static byte[] toJson(ProductionModel model) {
        try {
            return JSON.writeValueAsBytes(model);
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot serialise the model: " + e.getMessage(), e);
        }
    }

    /** A model is coefficients for a few hundred regions: far below this. */
    static final long MAX_MODEL_BYTES = 64L << 20;

    static ProductionModel read(Storage storage, Location runDirectory) {
        Location location = runDirectory.resolve(MODEL_PATH);
        if (!storage.exists(location)) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND,
                    location + ": no production model in the run directory; run fit-production with this run directory first");
        }
        try (InputStream in = storage.newInputStream(location)) {
            return read(in, location.toString());
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND,
                    location + ": not a readable model: " + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (CropcastException e) {
            if (e.errorCode() == TrackingErrorCode.LOCATION_NOT_FOUND) {
                throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, location + ": no production model", e);
            }
            throw e;
        }
    }

    /** Reads a production model from a stream; {@code label} names it in messages (a path or a models:/ URI). */
    static ProductionModel read(InputStream in, String label) {
        try {
            ProductionModel model = JSON.readValue(org.cropcast.tracking.BoundedReads.limited(in, MAX_MODEL_BYTES,
                    () -> new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND,
                            label + ": not a readable model: it is larger than " + MAX_MODEL_BYTES / (1024 * 1024) + " MiB")),
                    ProductionModel.class);
            if (!ProductionModel.FORMAT.equals(model.format()) || !ProductionModel.READABLE_VERSIONS.contains(model.version())) {
                throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, label + ": format " + model.format()
                        + " version " + model.version() + " is not " + ProductionModel.FORMAT + " version 1 or " + ProductionModel.VERSION);
            }
            model.formatProblem().ifPresent(problem -> {
                throw new CropcastException(PipelineErrorCode.INVALID_MODEL, label + ": not a valid "
                        + ProductionModel.FORMAT + " version " + model.version() + ": " + Redactor.truncateForMessage(problem));
            });
            return model;
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND,
                    label + ": not a readable model: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * SHA-256 of the configuration as canonical JSON, without the keys that say where things are
     * rather than what is fitted ({@code data_root}, {@code mlflow_tracking_uri}, {@code model_name}).
     */
    /** The sha256 of the resolved configuration without data_root and mlflow_tracking_uri (hex). */
    public static String configHash(PipelineConfig config) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = JSON.convertValue(config, Map.class);
            tree.remove("data_root");
            tree.remove("mlflow_tracking_uri");
            tree.remove("model_name");
            byte[] canonical = JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree)
                    .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot hash the configuration: " + e.getMessage(), e);
        }
    }
}
