package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the run scope behaves, apart from its ports.
 *
 * @param userName recorded as the run's user ({@code mlflow.user})
 * @param trackingUri recorded (redacted) in {@code metadata_<stage>.yaml} and {@code metadata.yaml}
 * @param heartbeatInterval how often the {@value RunTags#HEARTBEAT} tag is refreshed
 * @param endOnShutdown if true a JVM shutdown hook ends an open run KILLED (SIGINT, SIGTERM)
 * @param environment recorded as tags and in {@code metadata.yaml}
 * @param git recorded as tags and in {@code metadata.yaml}
 */
public record RunScopeSettings(
        String userName,
        String trackingUri,
        Duration heartbeatInterval,
        boolean endOnShutdown,
        EnvironmentInfo environment,
        GitInfo git) {
    public RunScopeSettings {
        requireNonNull(userName, "userName is null");
        requireNonNull(trackingUri, "trackingUri is null");
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "heartbeat interval must be positive");
        }
        requireNonNull(environment, "environment is null");
        requireNonNull(git, "git is null");
    }
}
