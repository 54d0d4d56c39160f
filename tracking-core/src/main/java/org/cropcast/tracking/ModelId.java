package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A logged model's id. Models created by cropcast get MLflow 3's form, {@code m-} followed by 32
 * lower-case hex characters ({@link #random}); ids read from a backend are accepted if they are
 * made of letters, digits, '-' and '_' (at most 36 characters, the width of MLflow's column).
 */
public record ModelId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,36}");

    public ModelId {
        requireNonNull(value, "value is null");
        if (!VALID.matcher(value).matches()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "invalid model id '"
                    + Redactor.truncateForMessage(value) + "': expected at most 36 letters, digits, '-' or '_' (MLflow's form is m-<32 hex>)");
        }
    }

    public static ModelId of(String value) {
        return new ModelId(value);
    }

    /** A new id as MLflow 3 makes it: {@code "m-" + uuid4().hex}. */
    public static ModelId random(RandomGenerator random) {
        return new ModelId("m-" + RunId.random(random).value());
    }

    @Override
    public String toString() {
        return value;
    }
}
