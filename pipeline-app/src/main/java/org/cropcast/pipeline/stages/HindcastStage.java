package org.cropcast.pipeline.stages;

/** The hindcast stage. Skeleton: implemented under issue 7. */
public final class HindcastStage implements Stage {
    @Override
    public String name() {
        return "hindcast";
    }

    @Override
    public StageResult run(StageContext context) {
        throw new UnsupportedOperationException("hindcast: not implemented yet");
    }
}
