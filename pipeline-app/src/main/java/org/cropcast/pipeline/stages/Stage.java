package org.cropcast.pipeline.stages;

/**
 * One pipeline stage ({@code hindcast}, {@code fit-production}, {@code forecast}). The command
 * line opens the run (run scope, params, config artefacts) and calls {@link #run}; the stage reads
 * its inputs, computes, writes into the run directory and tracks through {@link StageContext#run()}.
 * Bad input is a {@code CropcastException} with a USER_INPUT code naming file, column and row.
 */
public interface Stage {
    /** The stage name as used in tags, params prefixes and metadata files. */
    String name();

    /**
     * Checks made before any run is created: bad input found here is refused with nothing written
     * (no run, no run directory). By default none; the stage's own reads check the rest.
     */
    default void check(StageCheck check) {}

    StageResult run(StageContext context);
}
