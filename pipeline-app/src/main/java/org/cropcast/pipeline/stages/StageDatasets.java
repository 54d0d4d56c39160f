package org.cropcast.pipeline.stages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.ReferenceLoader;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.Fingerprints;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;

/**
 * The MLflow datasets a stage logs as its run's inputs: the target panel, the features and each
 * reference spec. Digest: the first 16 hex characters of the file's SHA-256 (the fingerprint
 * {@code metadata.yaml} records); source: {@code {"uri": "<path or s3:// URI>"}} without
 * credentials; schema: MLflow's {@code mlflow_colspec} of the configured columns; profile: rows,
 * regions and years of the panel, and of each reference file ({@link ReferenceLoader#profile}). Context: {@code training} (fit-production), {@code evaluation}
 * (hindcast, forecast), {@code reference} for reference specs.
 */
final class StageDatasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageDatasets() {}

    static List<DatasetInput> of(StageContext context, StageInputs inputs, StageData data, String purpose) {
        PipelineConfig config = context.config();
        Panel panel = data.panel();
        List<DatasetInput> out = new ArrayList<>();
        PipelineConfig.TargetSpec target = config.target();
        List<Map<String, Object>> targetColumns = new ArrayList<>();
        targetColumns.add(column("string", target.regionColumn()));
        targetColumns.add(column("long", target.yearColumn()));
        targetColumns.add(column("double", target.yieldColumn()));
        Optional.ofNullable(target.areaColumn()).ifPresent(c -> targetColumns.add(column("double", c)));
        Optional.ofNullable(target.productionColumn()).ifPresent(c -> targetColumns.add(column("double", c)));
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("num_rows", (long) panel.regionCount() * panel.years());
        profile.put("regions", panel.regionCount());
        profile.put("years", panel.years());
        profile.put("first_year", panel.firstYear());
        out.add(DatasetInput.withContext(dataset(context, inputs, "target", target.path(), targetColumns, Optional.of(profile)), purpose));
        if (config.features() != null) {
            PipelineConfig.FeatureSpec features = config.features();
            List<Map<String, Object>> columns = new ArrayList<>();
            columns.add(column("string", Optional.ofNullable(features.regionColumn()).orElse(target.regionColumn())));
            columns.add(column("long", Optional.ofNullable(features.yearColumn()).orElse(target.yearColumn())));
            if (features.periodColumn() != null) {
                columns.add(column("long", features.periodColumn()));
            }
            for (String variable : Optional.ofNullable(features.variables()).orElse(List.of())) {
                columns.add(column("double", variable));
            }
            Map<String, Object> featureProfile = new LinkedHashMap<>();
            featureProfile.put("regions", panel.regionCount());
            featureProfile.put("years", panel.years());
            featureProfile.put("features", panel.featureNames());
            out.add(DatasetInput.withContext(dataset(context, inputs, "features", features.path(), columns, Optional.of(featureProfile)),
                    purpose));
        }
        List<PipelineConfig.ReferenceSpec> specs = Optional.ofNullable(config.referenceData()).orElse(List.of());
        for (int i = 0; i < specs.size(); i++) {
            PipelineConfig.ReferenceSpec spec = specs.get(i);
            List<Map<String, Object>> columns = new ArrayList<>();
            columns.add(column("string", Optional.ofNullable(spec.regionColumn()).orElse(target.regionColumn())));
            columns.add(column("long", Optional.ofNullable(spec.yearColumn()).orElse(target.yearColumn())));
            Optional.ofNullable(spec.issueColumn()).ifPresent(c -> columns.add(column("long", c)));
            Optional.ofNullable(spec.valueColumn()).ifPresent(c -> columns.add(column("double", c)));
            String name = "reference-" + Optional.ofNullable(spec.name()).orElse(Integer.toString(i));
            out.add(DatasetInput.withContext(dataset(context, inputs, name, spec.path(), columns,
                    Optional.of(ReferenceLoader.profile(spec, inputs))), "reference"));
        }
        return out;
    }

    private static Map<String, Object> column(String type, String name) {
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("type", type);
        column.put("name", name);
        column.put("required", true);
        return column;
    }

    private static Dataset dataset(StageContext context, StageInputs inputs, String name, String path, List<Map<String, Object>> columns,
            Optional<Map<String, Object>> profile) {
        Location file = inputs.location(path);
        String digest = Fingerprints.sha256Prefix(context.storage(), file);
        String sourceType = file.isLocal() ? "local" : file.scheme();
        String uri = Redactor.redact(file.isLocal() ? file.localPath().toString() : file.toString());
        return new Dataset(name, digest, sourceType, json(Map.of("uri", uri)), Optional.of(json(Map.of("mlflow_colspec", columns))),
                profile.map(StageDatasets::json));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot write dataset JSON: " + e.getMessage(), e);
        }
    }
}
