package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.runs.SweepLauncher;
import org.cropcast.pipeline.runs.SweepLauncher.Child;
import org.cropcast.tracking.RunId;

/** What {@code sweep} prints: the ranking, the best combination, the sweep run; or the children's commands. */
final class SweepOutput {
    private SweepOutput() {}

    static void print(PrintWriter out, SweepLauncher.Outcome outcome) {
        List<String> keys = outcome.children().isEmpty() ? List.of()
                : new ArrayList<>(outcome.children().get(0).combination().settings().keySet());
        List<String> header = new ArrayList<>(List.of("RANK", "#"));
        header.addAll(keys);
        header.addAll(List.of("STATUS", outcome.metric(), "RUN ID"));
        TextTable table = new TextTable(header.toArray(String[]::new));
        int rank = 0;
        for (Child child : outcome.ranking()) {
            boolean ranked = child.finished() && !Double.isNaN(child.metric());
            List<String> row = new ArrayList<>(List.of(ranked ? Integer.toString(++rank) : "-",
                    child.combination().label(outcome.children().size())));
            keys.forEach(k -> row.add(child.combination().settings().get(k)));
            row.add(child.status().map(Enum::name).orElse("not run") + (child.reused() ? " (earlier)" : ""));
            row.add(Double.isNaN(child.metric()) ? "-" : RunFormats.number(child.metric()));
            row.add(child.runId().map(RunId::value).orElse("-"));
            table.row(row);
        }
        table.print(out, "");
        out.println();
        long failed = outcome.failed();
        out.println("sweep " + (failed == 0 ? "finished" : "FAILED") + ": " + (outcome.children().size() - failed) + " of "
                + outcome.children().size() + " children FINISHED.");
        outcome.best().ifPresent(best -> out.println("  best:      " + best.combination().describe() + " (" + outcome.metric() + " "
                + RunFormats.number(best.metric()) + ", run " + best.runId().map(RunId::value).orElse("-") + ")"));
        for (Child child : outcome.children()) {
            if (!child.finished()) {
                out.println("  failed:    " + child.combination().label(outcome.children().size()) + " " + child.combination().describe()
                        + ": " + child.error());
            }
        }
        printRun(out, outcome);
        out.flush();
    }

    /** The children's commands alone on standard output, one per line, for a scheduler to read; what next on standard error. */
    static void printCommands(PrintWriter out, PrintWriter err, SweepLauncher.Outcome outcome, Path config) {
        for (List<String> command : outcome.commands()) {
            out.println("cropcast " + String.join(" ", command.stream().map(StageOutput::shellQuote).toList()));
        }
        out.flush();
        err.println("sweep " + outcome.parentRunId() + ": " + outcome.commands().size() + " child commands printed; when they have run: "
                + "cropcast sweep finish " + outcome.parentRunId() + " --config " + StageOutput.shellQuote(config.toString()));
        err.flush();
    }

    private static void printRun(PrintWriter out, SweepLauncher.Outcome outcome) {
        String uri = outcome.tracking().display();
        out.println("  run id:    " + outcome.parentRunId());
        out.println("  run dir:   " + outcome.runDirectory());
        out.println("  tracking:  " + uri);
        out.println("  children:  cropcast runs list --tracking-uri " + StageOutput.shellQuote(uri) + " --filter "
                + StageOutput.shellQuote("tags.`mlflow.parentRunId` = '" + outcome.parentRunId() + "'"));
        outcome.tracking().mlflowUiCommand().ifPresent(command -> out.println("  MLflow UI: " + command));
    }

}
