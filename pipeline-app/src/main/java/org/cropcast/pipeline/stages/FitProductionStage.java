package org.cropcast.pipeline.stages;

/** The fit-production stage. Skeleton: implemented under issue 7. */
public final class FitProductionStage implements Stage {
    @Override
    public String name() {
        return "fit-production";
    }

    @Override
    public StageResult run(StageContext context) {
        throw new UnsupportedOperationException("fit-production: not implemented yet");
    }
}
