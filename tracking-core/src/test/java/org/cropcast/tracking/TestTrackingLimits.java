package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestTrackingLimits {
    @Test
    void keyLimitIsInclusive() {
        assertThat(TrackingLimits.validateKey("param", "k".repeat(250))).hasSize(250);
        assertThatThrownBy(() -> TrackingLimits.validateKey("param", "k".repeat(251)))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_KEY);
                    assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
                });
    }

    @Test
    void valueLengthCountsCodePoints() {
        String emoji = "🌽".repeat(TrackingLimits.MAX_PARAM_VALUE_LENGTH);
        TrackingLimits.validateParam(new Param("p", emoji));
        assertThatThrownBy(() -> TrackingLimits.validateParam(new Param("p", emoji + "x")))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.VALUE_TOO_LONG));
    }

    @Test
    void truncateTagValueFitsTheLimitAndMarksTheCut() {
        String longText = "e".repeat(20_000);
        String truncated = TrackingLimits.truncateTagValue(longText);
        assertThat(truncated).hasSize(TrackingLimits.MAX_TAG_VALUE_LENGTH).endsWith("[truncated]");
        TrackingLimits.validateTag(new Tag("cropcast.error", truncated));
        assertThat(TrackingLimits.truncateTagValue("short")).isEqualTo("short");
    }

    @Test
    void chunksSplitInOrder() {
        assertThat(TrackingLimits.chunks(List.of(1, 2, 3, 4, 5), 2)).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(TrackingLimits.chunks(List.of(), 100)).isEmpty();
    }

    @Test
    void experimentNames() {
        assertThat(TrackingLimits.validateExperimentName("soy brazil / v1")).isEqualTo("soy brazil / v1");
        assertThatThrownBy(() -> TrackingLimits.validateExperimentName(" "))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> TrackingLimits.validateExperimentName("x".repeat(501)))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.VALUE_TOO_LONG));
    }
}
