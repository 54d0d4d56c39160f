package org.cropcast.tracking;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

/** The error codes of logged models, the model registry and run inputs/outputs (core range 200-299). */
public enum ModelErrorCode implements ErrorCode {
    /** No logged model with this id (or it is deleted). */
    MODEL_NOT_FOUND(200, USER_INPUT),
    /** No registered model with this name. */
    REGISTERED_MODEL_NOT_FOUND(201, USER_INPUT),
    /** The registered model has no such version. */
    MODEL_VERSION_NOT_FOUND(202, USER_INPUT),
    /** The registered model has no such alias. */
    ALIAS_NOT_FOUND(203, USER_INPUT),
    /** A version may only be created from a READY logged model; a finalized model cannot change status. */
    INVALID_MODEL_STATE(204, USER_INPUT),
    /** A name, alias, digest or other model/dataset field breaks MLflow's rules. */
    INVALID_MODEL_ARGUMENT(205, USER_INPUT),
    /** A {@code models:/} URI that is not one of the three MLflow forms. */
    INVALID_MODEL_URI(206, USER_INPUT),
    /** The backend refused a registry or logged-model write (permissions, a server without a registry). */
    MODEL_BACKEND_REFUSED(250, EXTERNAL_SYSTEM);

    private final int number;
    private final ErrorCategory category;

    ModelErrorCode(int number, ErrorCategory category) {
        this.number = number;
        this.category = category;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
