package org.cropcast.tracking;

import java.util.Arrays;

/**
 * A logged model's status, with MLflow 3's numbers (the {@code logged_models.status} column) and
 * proto names (the REST JSON). A model is created PENDING and finalized once, READY or FAILED.
 */
public enum LoggedModelStatus {
    PENDING(1, "LOGGED_MODEL_PENDING"),
    READY(2, "LOGGED_MODEL_READY"),
    FAILED(3, "LOGGED_MODEL_UPLOAD_FAILED");

    private final int number;
    private final String protoName;

    LoggedModelStatus(int number, String protoName) {
        this.number = number;
        this.protoName = protoName;
    }

    public int number() {
        return number;
    }

    public String protoName() {
        return protoName;
    }

    public boolean isFinal() {
        return this != PENDING;
    }

    public static LoggedModelStatus fromNumber(int number) {
        return Arrays.stream(values()).filter(s -> s.number == number).findFirst()
                .orElseThrow(() -> new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "unknown logged-model status " + number));
    }

    public static LoggedModelStatus fromProtoName(String name) {
        return Arrays.stream(values()).filter(s -> s.protoName.equals(name) || s.name().equals(name)).findFirst()
                .orElseThrow(() -> new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT,
                        "unknown logged-model status '" + Redactor.truncateForMessage(name) + "'"));
    }
}
