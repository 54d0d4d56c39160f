package org.cropcast.pipeline;

import org.cropcast.pipeline.cli.CliContext;

/** {@code cropcast} with the test stages, for child-process tests (signals, stale runs). */
public final class TestMain {
    private TestMain() {}

    public static void main(String[] args) {
        System.exit(Cropcast.commandLine(CliContext.system(), TestStages.module()).execute(args));
    }
}
