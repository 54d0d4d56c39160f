package org.cropcast.tracking.mlflow;

import java.util.regex.Pattern;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * MLflow 3.17.2's limits ({@code mlflow/utils/validation.py}), checked before anything of a
 * request is written. Over-long values are refused (see docs/SQLITE-STORE.md): MLflow's default
 * truncates param and tag values with a warning, which would silently change what was logged
 * and make a re-logged write-once param conflict with its own truncated copy.
 */
final class SqliteValidation {
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    static final int MAX_RUN_NAME_LENGTH = 250;
    static final int MAX_USER_ID_LENGTH = 256;

    /** MLflow's POSIX key pattern: {@code ^[/\w.\- :]*$} (Python's \w is Unicode-aware). */
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- :]+", Pattern.UNICODE_CHARACTER_CLASS);

    private SqliteValidation() {}

    /** Checks a param, tag or metric key; {@code kind} names it in the message. */
    static void key(String kind, String key) {
        if (key.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_KEY, kind + " key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new CropcastException(TrackingErrorCode.INVALID_KEY, kind + " key '" + quote(key)
                    + "' is " + key.length() + " characters long; at most " + MAX_KEY_LENGTH + " are allowed");
        }
        if (!KEY.matcher(key).matches()) {
            throw new CropcastException(TrackingErrorCode.INVALID_KEY, kind + " key '" + quote(key)
                    + "' is invalid: names may only contain alphanumerics, underscores (_), dashes (-),"
                    + " periods (.), spaces ( ), colon (:) and slashes (/)");
        }
        if (!pathUnique(key)) {
            throw new CropcastException(TrackingErrorCode.INVALID_KEY, kind + " key '" + quote(key)
                    + "' is invalid: it would resolve to another name when treated as a path");
        }
    }

    static void value(String kind, String key, String value, int limit) {
        if (value.length() > limit) {
            throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG, kind + " '" + quote(key) + "' has a value of "
                    + value.length() + " characters; at most " + limit + " are allowed");
        }
    }

    static void experimentName(String name) {
        if (name.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "invalid experiment name: ''");
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG, "experiment name '" + quote(name)
                    + "' exceeds the maximum length of " + MAX_EXPERIMENT_NAME_LENGTH + " characters");
        }
    }

    static void timestamp(String what, long millis) {
        if (millis < 0) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    what + " must be a nonnegative number of milliseconds, got " + millis);
        }
    }

    /** posixpath.normpath(name) == name, not '.', not starting with '..' or '/'. */
    private static boolean pathUnique(String name) {
        if (name.startsWith("/") || name.startsWith("..") || name.equals(".")) {
            return false;
        }
        if (name.endsWith("/") || name.contains("//")) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    static String quote(String text) {
        return Redactor.truncateForMessage(Redactor.redact(text));
    }
}
