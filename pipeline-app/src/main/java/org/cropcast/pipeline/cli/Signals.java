package org.cropcast.pipeline.cli;

import org.cropcast.pipeline.runs.ProcessContext;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM in a real process: the signal is named on standard error, the shutdown hooks
 * run (the run scope's ends the open run KILLED and then says whether the store recorded it, within
 * a bound; a claimed run directory no run was made in is released), and the process exits 130
 * whichever of the two signals arrived (the JVM's default would be 143 for SIGTERM). This handler
 * claims nothing about the run: only the hook that ended it can. Never installed inside a test
 * JVM ({@link ProcessContext#handleSignals()}).
 */
final class Signals {
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
                    context.err().println();
                    context.err().println(ErrorHandlers.prefix() + "interrupted by SIG" + signal.getName());
                    context.err().flush();
                    // shutdown hooks run (the run scope's ends the open run KILLED), then the JVM exits 130
                    System.exit(ExitCodes.INTERRUPTED);
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform
            }
        }
    }
}
