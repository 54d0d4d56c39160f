package org.cropcast.storage.s3;

import java.io.IOException;
import java.util.Locale;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCode;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingErrorCode;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Translates SDK failures into {@link CropcastException} at the adapter's boundary, keeping the cause. */
final class S3Errors {
    private S3Errors() {}

    /** True if the failure says the key (or the bucket) does not exist. */
    static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || e instanceof NoSuchBucketException
                || e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    static boolean isNoSuchBucket(SdkException e) {
        return e instanceof NoSuchBucketException || "NoSuchBucket".equals(errorCode(e));
    }

    /**
     * A one-line error naming the operation and the location. A 404 is {@code notFound} (core's
     * {@link TrackingErrorCode#LOCATION_NOT_FOUND} for keys, {@link S3ErrorCode#NO_SUCH_BUCKET}
     * when S3 says the bucket is missing).
     */
    static CropcastException translate(SdkException e, String operation, Location location) {
        String where = operation + " " + location;
        if (isNoSuchBucket(e)) {
            return error(S3ErrorCode.NO_SUCH_BUCKET, where + " failed: no such bucket '" + location.bucket() + "'", e);
        }
        if (isNotFound(e)) {
            return error(TrackingErrorCode.LOCATION_NOT_FOUND, where + " failed: no such key", e);
        }
        if (e instanceof S3Exception s3) {
            String code = errorCode(e);
            int status = s3.statusCode();
            if (status == 403 || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code)) {
                return error(S3ErrorCode.ACCESS_DENIED, where + " failed: access denied (" + describe(s3) + ")", e);
            }
            if (status == 503 || status == 429 || code != null && (code.equals("SlowDown") || code.contains("Throttl"))) {
                return error(S3ErrorCode.THROTTLED, where + " failed: S3 kept throttling after all retries (" + describe(s3) + ")", e);
            }
            return error(S3ErrorCode.S3_FAILURE, where + " failed: " + describe(s3), e);
        }
        if (e instanceof SdkClientException) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
                return error(S3ErrorCode.MISSING_CREDENTIALS, where + " failed: no AWS credentials found "
                        + "(set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or an instance role)", e);
            }
            if (e.getCause() instanceof IOException || message.contains("Unable to execute HTTP request")) {
                return error(S3ErrorCode.ENDPOINT_UNREACHABLE, where + " failed after all retries: " + message, e);
            }
        }
        return error(S3ErrorCode.S3_FAILURE, where + " failed: " + e.getMessage(), e);
    }

    static CropcastException local(IOException e, String operation, Location location) {
        return error(TrackingErrorCode.STORAGE_FAILURE,
                operation + " " + location + " failed on local disk: " + e.getMessage(), e);
    }

    static CropcastException error(ErrorCode code, String message, Throwable cause) {
        return new CropcastException(code, Redactor.truncateForMessage(Redactor.redact(message)), cause);
    }

    private static String errorCode(SdkException e) {
        if (e instanceof S3Exception s3) {
            AwsErrorDetails details = s3.awsErrorDetails();
            return details == null ? null : details.errorCode();
        }
        return null;
    }

    private static String describe(S3Exception e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "" : details.errorCode() + ", ";
        return code + "HTTP " + e.statusCode() + (e.requestId() == null ? "" : ", request id " + e.requestId());
    }
}
