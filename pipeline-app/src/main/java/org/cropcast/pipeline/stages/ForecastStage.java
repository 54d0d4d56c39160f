package org.cropcast.pipeline.stages;

/** The forecast stage. Skeleton: implemented under issue 7. */
public final class ForecastStage implements Stage {
    @Override
    public String name() {
        return "forecast";
    }

    @Override
    public StageResult run(StageContext context) {
        throw new UnsupportedOperationException("forecast: not implemented yet");
    }
}
