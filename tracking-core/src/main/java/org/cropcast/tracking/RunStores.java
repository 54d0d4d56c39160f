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
            if (tag.key().equals(RUN_NAME_TAG) && !tag.value().equals(request.runName())) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                        "run name '" + request.runName() + "' and tag " + RUN_NAME_TAG + "='" + tag.value() + "' differ");
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
     * Checks a batch's params against those already logged; throws
     * {@link TrackingErrorCode#PARAM_CONFLICT} naming the key, the logged and the new value for
     * the first that differs. Call it before writing anything.
     */
    public static void checkParamConflicts(RunId runId, Map<String, String> logged, List<Param> params) {
        for (Param param : params) {
            String old = logged.get(param.key());
            if (old != null && !old.equals(param.value())) {
                throw paramConflict(runId, param.key(), old, param.value());
            }
        }
    }

    public static CropcastException paramConflict(RunId runId, String key, String loggedValue, String newValue) {
        return new CropcastException(TrackingErrorCode.PARAM_CONFLICT,
                "param '" + key + "' of run " + runId + " was logged as '" + Redactor.truncateForMessage(loggedValue)
                        + "'; cannot change it to '" + Redactor.truncateForMessage(newValue)
                        + "' (params are write-once; start a new run instead of resuming)");
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
