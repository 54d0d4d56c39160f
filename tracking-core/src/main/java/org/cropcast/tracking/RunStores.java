package org.cropcast.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules every {@link RunStore} applies the same way, so the memory, SQLite and REST stores give
 * the same answers and the same messages.
 */
public final class RunStores {
    /** MLflow's system tag holding the run name. */
    public static final String RUN_NAME_TAG = "mlflow.runName";
    /** MLflow's system tag holding the user. */
    public static final String USER_TAG = "mlflow.user";

    private RunStores() {}

    /**
     * The tags a new run starts with: the request's tags plus {@code mlflow.runName} and
     * {@code mlflow.user}. A request tag {@code mlflow.runName} that differs from the run name is
     * an error, as in MLflow. Without a run name, a request tag {@code mlflow.runName} names the
     * run; with neither, no {@code mlflow.runName} tag is added (the store or server names the run).
     */
    public static List<Tag> creationTags(CreateRunRequest request) {
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : request.tags()) {
            if (request.runName().isEmpty() && tag.key().equals(RUN_NAME_TAG)) {
                tags.add(tag);
                continue;
            }
            if (tag.key().equals(RUN_NAME_TAG)) {
                checkRunNameTag(request.runName(), tag.value());
            }
            if (!tag.key().equals(RUN_NAME_TAG) && !tag.key().equals(USER_TAG)) {
                tags.add(tag);
            }
        }
        if (!request.runName().isEmpty()) {
            tags.add(new Tag(RUN_NAME_TAG, request.runName()));
        }
        tags.add(new Tag(USER_TAG, request.userId()));
        return tags;
    }

    /**
     * A run name given both as the request's run name and as a {@code mlflow.runName} tag must be
     * the same: {@link TrackingErrorCode#INVALID_ARGUMENT} otherwise, as in MLflow. An empty run
     * name lets the tag name the run.
     */
    public static void checkRunNameTag(String runName, String tagValue) {
        if (!runName.isEmpty() && !tagValue.equals(runName)) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "run name '" + Redactor.truncateForMessage(runName)
                    + "' and tag " + RUN_NAME_TAG + "='" + Redactor.truncateForMessage(tagValue) + "' differ");
        }
    }

    /**
     * Checks a batch's params against those already logged; throws
     * {@link TrackingErrorCode#PARAM_CONFLICT} naming every key whose new value differs, with the
     * logged and the new value. Call it before writing anything.
     */
    public static void checkParamConflicts(RunId runId, Map<String, String> logged, List<Param> params) {
        List<String> conflicts = new ArrayList<>();
        for (Param param : params) {
            String old = logged.get(param.key());
            if (old != null && !old.equals(param.value())) {
                conflicts.add(conflict(param.key(), old, param.value()));
            }
        }
        if (!conflicts.isEmpty()) {
            throw paramConflicts(runId, conflicts);
        }
    }

    public static CropcastException paramConflict(RunId runId, String key, String loggedValue, String newValue) {
        return paramConflicts(runId, List.of(conflict(key, loggedValue, newValue)));
    }

    private static String conflict(String key, String loggedValue, String newValue) {
        return "param '" + shown(key) + "' (logged '" + shown(loggedValue) + "', new '" + shown(newValue) + "')";
    }

    /** Outside text in a message: credentials masked, shortened. */
    private static String shown(String text) {
        return Redactor.truncateForMessage(Redactor.redact(text));
    }

    private static CropcastException paramConflicts(RunId runId, List<String> conflicts) {
        return new CropcastException(TrackingErrorCode.PARAM_CONFLICT, "changing param values is not allowed: run " + runId
                + " already has " + String.join(", ", conflicts) + " (params are write-once; start a new run instead of resuming)");
    }

    public static CropcastException runNotFound(RunId runId) {
        return new CropcastException(TrackingErrorCode.RUN_NOT_FOUND, "run " + runId + " does not exist");
    }

    public static CropcastException runNotActive(RunId runId) {
        return new CropcastException(TrackingErrorCode.INVALID_RUN_STATE,
                "run " + runId + " must be in the 'active' state; it is deleted");
    }

    public static void requireTerminal(RunStatus status) {
        if (!status.isTerminal()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "a run can only be ended FINISHED, FAILED or KILLED, not " + status);
        }
    }
}
