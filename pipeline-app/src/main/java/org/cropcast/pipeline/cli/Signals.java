package org.cropcast.pipeline.cli;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.RunId;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM in a real process: the open run is ended KILLED by the run scope's shutdown
 * hook, and the process exits 130 whichever of the two signals arrived (the JVM's default would be
 * 143 for SIGTERM). Never installed inside a test JVM ({@link ProcessContext#handleSignals()}).
 */
final class Signals {
    private static final AtomicReference<RunId> OPEN_RUN = new AtomicReference<>();
    private static volatile boolean installed;

    private Signals() {}

    static synchronized void install(ProcessContext context) {
        if (installed || !context.handleSignals()) {
            return;
        }
        installed = true;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    Optional<RunId> run = Optional.ofNullable(OPEN_RUN.get());
                    context.err().println();
                    context.err().println(ErrorHandlers.prefix() + "interrupted by SIG" + signal.getName()
                            + run.map(id -> ": run " + id + " is marked KILLED").orElse(""));
                    context.err().flush();
                    // shutdown hooks run (the run scope's ends the open run KILLED), then the JVM exits 130
                    System.exit(ExitCodes.INTERRUPTED);
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform
            }
        }
    }

    static void opened(RunId runId) {
        OPEN_RUN.set(runId);
    }

    static void closed() {
        OPEN_RUN.set(null);
    }
}
