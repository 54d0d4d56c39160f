package org.cropcast.pipeline;

import org.cropcast.pipeline.runs.ProcessContext;

/** {@code cropcast} with the test stages, for child-process tests (signals, stale runs). */
public final class TestMain {
    private TestMain() {}

    public static void main(String[] args) {
        System.exit(Cropcast.commandLine(ProcessContext.system(), TestStages.module()).execute(args));
    }
}
