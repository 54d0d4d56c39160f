package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a new logged model is created with (MLflow's {@code create_logged_model}): its experiment,
 * a name (MLflow's rule: non-empty, none of {@code / : . % " '}), the run that produced it, an
 * optional model type, params (values at most {@value TrackingLimits#MAX_PARAM_VALUE_LENGTH}
 * characters) and tags.
 */
public record LoggedModelRequest(ExperimentId experimentId, String name, Optional<RunId> sourceRunId,
        Optional<String> modelType, Map<String, String> params, Map<String, String> tags) {
    private static final String BAD_NAME_CHARS = "/:.%\"'";

    public LoggedModelRequest {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(sourceRunId, "sourceRunId is null");
        requireNonNull(modelType, "modelType is null");
        validateName(name);
        params = Map.copyOf(new LinkedHashMap<>(params));
        tags = Map.copyOf(new LinkedHashMap<>(tags));
        params.forEach((k, v) -> {
            TrackingLimits.validateKey("model param", k);
            if (v.length() > TrackingLimits.MAX_PARAM_VALUE_LENGTH) {
                throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG, "model param '" + k + "' is longer than "
                        + TrackingLimits.MAX_PARAM_VALUE_LENGTH + " characters");
            }
        });
        tags.keySet().forEach(k -> TrackingLimits.validateKey("model tag", k));
    }

    public static LoggedModelRequest of(ExperimentId experimentId, String name, RunId sourceRun) {
        return new LoggedModelRequest(experimentId, name, Optional.of(sourceRun), Optional.empty(), Map.of(), Map.of());
    }

    public static void validateName(String name) {
        if (name.isEmpty() || name.chars().anyMatch(c -> BAD_NAME_CHARS.indexOf(c) >= 0)) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "invalid logged-model name '"
                    + Redactor.truncateForMessage(name) + "': it must be non-empty and contain none of / : . % \" '");
        }
    }
}
