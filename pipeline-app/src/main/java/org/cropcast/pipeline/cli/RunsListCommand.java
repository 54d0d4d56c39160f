package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.RunsReader;
import org.cropcast.pipeline.runs.RunsReader.RunView;
import org.cropcast.tracking.RunFilter;
import org.cropcast.tracking.RunOrder;
import org.cropcast.tracking.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cropcast runs list}. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List runs, newest first (or by --order-by), child runs indented under their parent.",
            "A RUNNING run whose heartbeat stopped (its process died) is shown",
            "as 'RUNNING (stale)'; resume it with",
            "'cropcast run STAGE --config FILE --run-dir DIR --resume'."})
public final class RunsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only runs of this experiment.")
    String experiment;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only runs with this status: ${COMPLETION-CANDIDATES}.")
    RunStatus status;

    @Option(names = "--filter", paramLabel = "FILTER",
            description = "Only runs that satisfy this MLflow search filter, e.g. "
                    + "\"metrics.`model.national.rmse` < 1 and params.`hindcast/detrend` = 'linear'\".")
    String filter;

    @Option(names = "--order-by", paramLabel = "CLAUSE",
            description = "Order by this MLflow order-by clause (repeatable, first wins), e.g. \"metrics.`model.national.rmse` ASC\". "
                    + "Default: newest first.")
    List<String> orderBy = new ArrayList<>();

    @Option(names = "--flat", description = "List child runs (mlflow.parentRunId) plainly, not indented under their parent.")
    boolean flat;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "A RUNNING run whose heartbeat is older than this is stale (default: ${DEFAULT-VALUE}; "
                    + "runs send a heartbeat every 30s).")
    java.time.Duration staleAfter;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    private final RunsReader reader;
    private final Clock clock;

    @Inject
    RunsListCommand(RunsReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RunsReader.Session session = reader.open(tracking.trackingUri(), tracking.config())) {
            RunFilter parsed = RunFilter.parse(filter == null ? "" : filter);
            List<RunOrder> orders = RunOrder.parseAll(orderBy);
            List<RunView> runs = session.list(Optional.ofNullable(experiment), Optional.ofNullable(status), parsed, orders,
                    limit, staleAfter);
            if (json) {
                out.println(RunFormats.toJson(runs.stream().map(v -> RunFormats.json(v, clock)).toList()));
                out.flush();
                return ExitCodes.OK;
            }
            if (runs.isEmpty()) {
                out.println("No runs in " + org.cropcast.tracking.TerminalText.visible(session.target().display())
                        + (experiment == null ? "" : " for experiment '" + org.cropcast.tracking.TerminalText.visible(experiment) + "'")
                        + (status == null ? "" : " with status " + status)
                        + (parsed.isEmpty() ? "" : " matching the filter") + ".");
                out.flush();
                return ExitCodes.OK;
            }
            TextTable table = new TextTable("RUN ID", "EXPERIMENT", "STAGE", "STATUS", "START", "DURATION", "NAME");
            for (RunTree.Line line : flat ? RunTree.flat(runs) : RunTree.nested(runs)) {
                RunView view = line.view();
                var info = view.run().info();
                table.row("  ".repeat(line.depth()) + info.runId().value(), view.experimentName(), RunFormats.stage(view.run()),
                        RunFormats.status(view), RunFormats.time(info.startTimeMillis(), clock), RunFormats.duration(info, clock),
                        info.runName());
            }
            table.print(out, "");
            long stale = runs.stream().filter(RunView::stale).count();
            if (stale > 0) {
                out.println();
                out.println(stale + " stale run(s): RUNNING but their heartbeat stopped (the process was killed). "
                        + "Resume one with 'cropcast run <stage> --config FILE --run-dir <its run_dir tag>'.");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
