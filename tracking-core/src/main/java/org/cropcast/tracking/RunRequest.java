package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline invocation, as the run scope needs it.
 *
 * @param stage {@code hindcast}, {@code fit-production} or {@code forecast} (prefixes the params)
 * @param experimentName the MLflow experiment, created on first use
 * @param runDirectory where this invocation writes (local or object store); holds
 *     {@code config_resolved.yaml}, {@code metadata.yaml} and {@code metadata_<stage>.yaml}
 * @param configPath the configuration file as given (recorded as a tag, redacted)
 * @param configDocument the full resolved configuration, written as {@code config_resolved.yaml}
 * @param params the bounded params
 * @param mode create a run or resume the recorded one
 * @param resumeFromStage in resume mode, whose {@code metadata_<stage>.yaml} names the run (default: this stage)
 * @param runName the run's name (default: {@code <stage>-<run directory name>})
 * @param dataFiles input files fingerprinted into {@code metadata.yaml}
 * @param parentRunId the run this one is a child of ({@code mlflow.parentRunId}), when present: it
 *     must exist, be active and belong to the same experiment
 */
public record RunRequest(
        String stage,
        String experimentName,
        Location runDirectory,
        String configPath,
        Map<String, Object> configDocument,
        BoundedParams params,
        RunMode mode,
        Optional<String> resumeFromStage,
        Optional<String> runName,
        List<Location> dataFiles,
        Optional<RunId> parentRunId) {
    public RunRequest {
        requireNonNull(stage, "stage is null");
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(runDirectory, "runDirectory is null");
        requireNonNull(configPath, "configPath is null");
        configDocument = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(configDocument, "configDocument is null")));
        requireNonNull(params, "params is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(resumeFromStage, "resumeFromStage is null");
        requireNonNull(runName, "runName is null");
        dataFiles = List.copyOf(requireNonNull(dataFiles, "dataFiles is null"));
        requireNonNull(parentRunId, "parentRunId is null");
        TrackingLimits.validateKey("stage", stage);
    }

    /** A request for a run without a parent. */
    public RunRequest(String stage, String experimentName, Location runDirectory, String configPath,
            Map<String, Object> configDocument, BoundedParams params, RunMode mode, Optional<String> resumeFromStage,
            Optional<String> runName, List<Location> dataFiles) {
        this(stage, experimentName, runDirectory, configPath, configDocument, params, mode, resumeFromStage, runName,
                dataFiles, Optional.empty());
    }

    /** This request as a child of {@code parent}. */
    public RunRequest withParent(RunId parent) {
        return new RunRequest(stage, experimentName, runDirectory, configPath, configDocument, params, mode, resumeFromStage,
                runName, dataFiles, Optional.of(parent));
    }

    /** A request with the defaults: no explicit run name, resume from this stage's record. */
    public static RunRequest of(String stage, String experimentName, Location runDirectory, String configPath,
            Map<String, Object> configDocument, BoundedParams params, RunMode mode, List<Location> dataFiles) {
        return new RunRequest(stage, experimentName, runDirectory, configPath, configDocument, params, mode,
                Optional.empty(), Optional.empty(), dataFiles);
    }

    public String effectiveRunName() {
        return runName.orElseGet(() -> stage + "-" + runDirectory.fileName());
    }

    public String recordStage() {
        return resumeFromStage.orElse(stage);
    }
}
