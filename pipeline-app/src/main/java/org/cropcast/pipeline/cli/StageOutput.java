package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.TerminalText;

/** What a finished stage prints: its summary, then the run id, run directory and how to look at the run. */
final class StageOutput {
    private StageOutput() {}

    static void print(PrintWriter out, String stage, StageLauncher.Outcome outcome) {
        for (String line : outcome.result().summaryLines()) {
            out.println(TerminalText.visible(line));
        }
        if (!outcome.result().summaryLines().isEmpty()) {
            out.println();
        }
        // every value below may come from outside (a run directory named by the user, a URI): shown escaped, on its line
        String uri = TerminalText.visible(outcome.tracking().display());
        out.println(stage + " finished (" + (outcome.mode() == RunMode.RESUME ? "resumed run" : "new run") + ").");
        out.println("  run id:    " + outcome.runId());
        out.println("  run dir:   " + TerminalText.visible(String.valueOf(outcome.runDirectory())));
        out.println("  tracking:  " + uri);
        out.println("  show it:   cropcast runs show " + outcome.runId() + " --tracking-uri " + shellQuote(uri));
        outcome.tracking().mlflowUiCommand().ifPresent(command -> out.println("  MLflow UI: " + TerminalText.visible(command)));
        out.flush();
    }

    static String shellQuote(String text) {
        return text.matches("[A-Za-z0-9_./:@%+=,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
