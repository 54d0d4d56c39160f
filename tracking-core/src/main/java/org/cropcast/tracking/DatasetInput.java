package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A dataset used by a run, with its input tags (keys at most 255 characters, values at most 500);
 * {@value #CONTEXT_TAG} says what for ({@code training}, {@code evaluation}, {@code reference}).
 */
public record DatasetInput(Dataset dataset, Map<String, String> tags) {
    public static final String CONTEXT_TAG = "mlflow.data.context";

    public DatasetInput {
        requireNonNull(dataset, "dataset is null");
        tags = Map.copyOf(tags);
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 255 || v.length() > 500) {
                throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "input tag '" + Redactor.truncateForMessage(k)
                        + "' of dataset '" + dataset.name() + "': keys are 1 to 255 characters, values at most 500");
            }
        });
    }

    public static DatasetInput withContext(Dataset dataset, String context) {
        return new DatasetInput(dataset, Map.of(CONTEXT_TAG, context));
    }

    public Optional<String> context() {
        return Optional.ofNullable(tags.get(CONTEXT_TAG));
    }
}
