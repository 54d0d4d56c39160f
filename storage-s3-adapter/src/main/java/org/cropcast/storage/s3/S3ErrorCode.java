package org.cropcast.storage.s3;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.INTERNAL;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;

/**
 * The error codes of the S3 adapter (range 2000-2999). A missing key is core's
 * {@link org.cropcast.tracking.TrackingErrorCode#LOCATION_NOT_FOUND}, as the storage contract says;
 * everything else S3-specific is here.
 */
public enum S3ErrorCode implements ErrorCode {
    /** The bucket of a location does not exist. */
    NO_SUCH_BUCKET(2001, USER_INPUT),
    /** S3 refused the request (403): missing permission, wrong account, bucket policy. */
    ACCESS_DENIED(2002, EXTERNAL_SYSTEM),
    /** An S3 setting (endpoint URL, path style, region, tuning) in the environment or config is invalid. */
    INVALID_CONFIGURATION(2003, USER_INPUT),
    /** No credentials could be found by the SDK's default chain. */
    MISSING_CREDENTIALS(2004, USER_INPUT),
    /** An object key found in a listing cannot be mapped to a safe local path or artifact path. */
    UNSAFE_OBJECT_KEY(2005, USER_INPUT),
    /** S3 kept answering 503 SlowDown (or another throttling error) after every retry. */
    THROTTLED(2006, EXTERNAL_SYSTEM),
    /** The endpoint could not be reached, or the connection kept failing after every retry. */
    ENDPOINT_UNREACHABLE(2007, EXTERNAL_SYSTEM),
    /** Any other error answered by S3. */
    S3_FAILURE(2000, EXTERNAL_SYSTEM),
    /** A broken invariant inside the adapter (for example an unsupported location reached it). */
    S3_INTERNAL_ERROR(2999, INTERNAL);

    private final int number;
    private final ErrorCategory category;

    S3ErrorCode(int number, ErrorCategory category) {
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
