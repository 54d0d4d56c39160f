package org.cropcast.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.storage.s3.S3ErrorCode;
import org.cropcast.tracking.ErrorCode;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.mlflow.MlflowRestErrorCode;
import org.cropcast.tracking.mlflow.SqliteErrorCode;
import org.junit.jupiter.api.Test;

/** Every error code of every module has its own number, in its module's range. */
class ErrorCodesAreUniqueTest {
    @Test
    void numbersAreUniqueAcrossModules() {
        Map<Integer, String> seen = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        Stream.of(TrackingErrorCode.values(), SqliteErrorCode.values(), MlflowRestErrorCode.values(),
                        S3ErrorCode.values(), AppErrorCode.values(), PipelineErrorCode.values())
                .flatMap(Stream::of)
                .forEach(code -> {
                    String name = ((Enum<?>) code).getDeclaringClass().getSimpleName() + "." + code.name();
                    String previous = seen.put(code.number(), name);
                    if (previous != null) {
                        clashes.add(code.number() + ": " + previous + " and " + name);
                    }
                });
        assertThat(clashes).isEmpty();
        assertThat(seen).hasSizeGreaterThan(40);
    }

    @Test
    void eachModuleStaysInItsRange() {
        assertRange(TrackingErrorCode.values(), 0, 999);
        assertRange(SqliteErrorCode.values(), 1000, 1499);
        assertRange(MlflowRestErrorCode.values(), 1500, 1999);
        assertRange(S3ErrorCode.values(), 2000, 2999);
        assertRange(AppErrorCode.values(), 3000, 3499);
        assertRange(PipelineErrorCode.values(), 3500, 3999);
    }

    private static void assertRange(ErrorCode[] codes, int low, int high) {
        for (ErrorCode code : codes) {
            assertThat(code.number()).as(code.name()).isBetween(low, high);
        }
    }
}
