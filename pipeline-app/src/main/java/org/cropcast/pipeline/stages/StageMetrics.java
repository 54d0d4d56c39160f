package org.cropcast.pipeline.stages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.tracking.Metric;

/**
 * The metrics of one logging moment of a stage, all with the same timestamp from the stage's clock:
 * what every stage shares (skill under {@code <prefix>.rmse/mae/mape/bias/r2}, errors of a national
 * estimate), in one place.
 */
final class StageMetrics {
    private static final String[] SKILL_NAMES = {"rmse", "mae", "mape", "bias", "r2"};

    private final List<Metric> metrics = new ArrayList<>();
    private final long timestamp;

    StageMetrics(Clock clock) {
        this.timestamp = clock.millis();
    }

    StageMetrics add(String key, double value, long step) {
        metrics.add(new Metric(key, value, timestamp, step));
        return this;
    }

    /** {@code key}, unless the value is NaN. */
    StageMetrics addUnlessNaN(String key, double value, long step) {
        return Double.isNaN(value) ? this : add(key, value, step);
    }

    /** {@code <prefix>.rmse}, {@code .mae}, {@code .mape}, {@code .bias}, {@code .r2}, each unless NaN. */
    StageMetrics skill(String prefix, Skill skill, long step) {
        double[] values = {skill.rmse(), skill.mae(), skill.mape(), skill.bias(), skill.r2()};
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                add(prefix + "." + SKILL_NAMES[i], values[i], step);
            }
        }
        return this;
    }

    /** The skill and its count, {@code <prefix>.n}. */
    StageMetrics skillWithCount(String prefix, Skill skill, long step) {
        return skill(prefix, skill, step).add(prefix + ".n", skill.n(), step);
    }

    /** {@code <prefix>.abs_pct_error}: 100 |estimate - observed| / |observed|, unless the observed value is 0. */
    StageMetrics absPctError(String prefix, double estimate, double observed, long step) {
        if (observed != 0) {
            add(prefix + ".abs_pct_error", 100 * Math.abs(estimate - observed) / Math.abs(observed), step);
        }
        return this;
    }

    List<Metric> list() {
        return metrics;
    }
}
