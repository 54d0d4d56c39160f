package org.cropcast.tracking.mlflow;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.INTERNAL;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;

/**
 * Error codes of the MLflow tracking-server (REST) adapter, range 1500-1999 (the SQLite store of
 * the same module uses 1000-1499). Messages of these errors name the tracking URI with its
 * credentials redacted and, where the server answered, MLflow's {@code error_code} and message.
 */
public enum MlflowRestErrorCode implements ErrorCode {
    /** The tracking URI is not an http(s) URI, or is malformed. */
    INVALID_TRACKING_URI(1500, USER_INPUT),
    /** An {@code MLFLOW_*} environment variable has a value that cannot be used. */
    INVALID_SETTING(1501, USER_INPUT),
    /** The server answered 401: missing or wrong credentials. */
    AUTHENTICATION_FAILED(1502, USER_INPUT),
    /** The server answered 403: the credentials lack the permission. */
    PERMISSION_DENIED(1503, USER_INPUT),
    /** The server rejected the request (another 4xx): MLflow's error_code says why. */
    REQUEST_REJECTED(1504, USER_INPUT),
    /** The URI answers but is not an MLflow tracking server (404 ENDPOINT_NOT_FOUND or not JSON). */
    /** The server answered something that is not MLflow's (not JSON, not the expected fields, endless): an external failure. */
    NOT_AN_MLFLOW_SERVER(1505, EXTERNAL_SYSTEM),
    /** The server runs with {@code --no-serve-artifacts}, so {@code mlflow-artifacts:} URIs cannot be served. */
    ARTIFACT_SERVING_DISABLED(1506, USER_INPUT),
    /** An artifact URI of a scheme this adapter does not serve, or without a server to resolve it. */
    UNSUPPORTED_ARTIFACT_URI(1507, USER_INPUT),
    /** A local file to upload is missing or unreadable. */
    LOCAL_FILE_UNREADABLE(1508, USER_INPUT),
    /** The server could not be reached (connection refused, unknown host) even after retries. */
    SERVER_UNREACHABLE(1520, EXTERNAL_SYSTEM),
    /** TLS handshake failed: certificate not trusted, or the port does not speak TLS. */
    TLS_FAILURE(1521, EXTERNAL_SYSTEM),
    /** Requests timed out, even after retries. */
    TIMEOUT(1522, EXTERNAL_SYSTEM),
    /** The server kept answering 5xx, even after retries. */
    SERVER_ERROR(1523, EXTERNAL_SYSTEM),
    /** The server kept answering 429, even after retries. */
    RATE_LIMITED(1524, EXTERNAL_SYSTEM),
    /** The server's answer could not be understood. */
    UNEXPECTED_RESPONSE(1525, EXTERNAL_SYSTEM),
    /** An upload to an artifact store failed (for example a multipart part). */
    ARTIFACT_TRANSFER_FAILED(1526, EXTERNAL_SYSTEM),
    /** The calling thread was interrupted while waiting for the server. */
    INTERRUPTED(1990, INTERNAL);

    private final int number;
    private final ErrorCategory category;

    MlflowRestErrorCode(int number, ErrorCategory category) {
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
