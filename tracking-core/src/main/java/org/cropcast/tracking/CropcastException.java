package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of cropcast. It carries an immutable {@link ErrorCode} (and so an
 * {@link ErrorCategory}); adapters translate their technology's failures into it at the
 * boundary and keep the original as the cause. Messages are one line and never contain a
 * secret: build them with {@link Redactor#redact(String)} where they quote a URI.
 */
public class CropcastException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public CropcastException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public CropcastException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public ErrorCategory category() {
        return errorCode.category();
    }
}
