package org.cropcast.pipeline.stages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.RunId;

/**
 * The MLflow model directory of a production model, stored at the logged model's artifact
 * location ({@code <experiment>/models/<model id>/artifacts}):
 * <ul>
 *   <li>{@code MLmodel}: the {@value #FLAVOR} flavor (naming {@code model.json} and
 *       {@code config_resolved.yaml}), {@code model_id}, {@code run_id}, {@code utc_time_created}
 *       and a signature whose inputs are the region, the year and the feature columns and whose
 *       output is the target column;</li>
 *   <li>{@code model.json}: the production model ({@link ModelFiles});</li>
 *   <li>{@code config_resolved.yaml}: the configuration it was fitted with.</li>
 * </ul>
 */
public final class MlflowModelFiles {
    public static final String FLAVOR = "cropcast";
    public static final String MLMODEL = "MLmodel";
    public static final String MODEL_FILE = "model.json";
    public static final String CONFIG_FILE = "config_resolved.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private MlflowModelFiles() {}

    /** The MLmodel document (as MLflow's {@code Model.to_dict} lays it out). */
    static Map<String, Object> mlmodel(LoggedModel logged, RunId run, ProductionModel model, String targetColumn, String regionColumn,
            String yearColumn, Instant created) {
        Map<String, Object> flavor = new LinkedHashMap<>();
        flavor.put("model", MODEL_FILE);
        flavor.put("config", CONFIG_FILE);
        flavor.put("format", model.format());
        flavor.put("format_version", model.version());
        flavor.put("detrend", model.detrend());
        flavor.put("regression", model.regression());
        List<Map<String, Object>> inputs = new ArrayList<>();
        inputs.add(colspec("string", regionColumn));
        inputs.add(colspec("long", yearColumn));
        for (ProductionModel.Feature feature : model.features()) {
            inputs.add(colspec("double", feature.name()));
        }
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("inputs", json(inputs));
        signature.put("outputs", json(List.of(colspec("double", targetColumn))));
        signature.put("params", null);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("artifact_path", logged.artifactLocation());
        doc.put("flavors", Map.of(FLAVOR, flavor));
        doc.put("model_id", logged.modelId().value());
        doc.put("model_uuid", logged.modelId().value());
        doc.put("run_id", run.value());
        doc.put("signature", signature);
        doc.put("utc_time_created", CREATED.format(created));
        return doc;
    }

    private static Map<String, Object> colspec(String type, String name) {
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("type", type);
        column.put("name", name);
        column.put("required", true);
        return column;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot write the model signature: " + e.getMessage(), e);
        }
    }

    /** Writes the three files into {@code directory} (created). */
    static void write(Path directory, Map<String, Object> mlmodel, byte[] modelJson, byte[] configYaml) {
        try {
            Files.createDirectories(directory);
            YAML.writeValue(directory.resolve(MLMODEL).toFile(), mlmodel);
            Files.write(directory.resolve(MODEL_FILE), modelJson);
            Files.write(directory.resolve(CONFIG_FILE), configYaml);
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot write the MLflow model files in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks the MLmodel of a logged model names the {@value #FLAVOR} flavor; otherwise a one-line
     * {@link PipelineErrorCode#MODEL_NOT_FOUND} naming the flavors it has.
     */
    public static void requireCropcastFlavor(ArtifactStore artifacts, LoggedModel logged) {
        JsonNode doc;
        try (InputStream in = artifacts.open(logged.artifactLocation(), MLMODEL)) {
            doc = YAML.readTree(in);
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + ": its MLmodel is not readable YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (CropcastException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + ": the model has no MLmodel file at "
                    + logged.artifactLocation() + " (" + e.getMessage() + ")", e);
        }
        JsonNode flavors = doc == null ? null : doc.get("flavors");
        if (flavors == null || !flavors.has(FLAVOR)) {
            List<String> names = new ArrayList<>();
            if (flavors != null) {
                flavors.fieldNames().forEachRemaining(names::add);
            }
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + " ('" + logged.name()
                    + "') is not a cropcast model: its flavors are " + (names.isEmpty() ? "none" : String.join(", ", names))
                    + "; cropcast forecasts only with models whose MLmodel has the '" + FLAVOR + "' flavor (logged by fit-production)");
        }
    }

    /** Opens one of the model's files. */
    public static InputStream open(ArtifactStore artifacts, LoggedModel logged, String file) {
        try {
            return artifacts.open(logged.artifactLocation(), file);
        } catch (CropcastException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + ": no " + file + " in the model's files ("
                    + e.getMessage() + ")", e);
        }
    }
}
