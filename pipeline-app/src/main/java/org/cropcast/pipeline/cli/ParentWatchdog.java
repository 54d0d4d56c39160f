package org.cropcast.pipeline.cli;

import org.cropcast.pipeline.runs.ProcessContext;
import java.util.Optional;
import org.cropcast.pipeline.runs.SweepLauncher;

/**
 * In a sweep's child process ({@link SweepLauncher#PARENT_PID_VARIABLE} set): when the sweep's
 * process is gone (SIGKILL, a crash) the child exits as on a signal, so its run ends KILLED instead
 * of running on, unowned, beside a later {@code sweep --resume}. Real processes only.
 */
final class ParentWatchdog {
    private ParentWatchdog() {}

    static void start(ProcessContext context) {
        if (!context.handleSignals()) {
            return;
        }
        Optional<Long> pid = Optional.ofNullable(context.environment().get(SweepLauncher.PARENT_PID_VARIABLE))
                .filter(s -> s.matches("[0-9]{1,18}")).map(Long::parseLong);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (parent.isEmpty()) {
            gone(context, pid.get());
            return;
        }
        parent.get().onExit().thenRun(() -> gone(context, pid.get()));
    }

    private static void gone(ProcessContext context, long pid) {
        context.err().println(ErrorHandlers.prefix() + "the sweep process " + pid + " is gone: ending this run KILLED");
        context.err().flush();
        System.exit(ExitCodes.INTERRUPTED);
    }
}
