package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.RunsReader;
import org.cropcast.pipeline.runs.RunsReader.RunView;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.sync.SyncTags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cropcast runs show RUN_ID}. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show one run: its info, params, latest metrics, tags and artifacts.")
public final class RunsShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id (32 hex characters for runs created by cropcast).")
    String runId;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    private final RunsReader reader;
    private final Clock clock;

    @Inject
    RunsShowCommand(RunsReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunsReader.Session session = reader.open(tracking.trackingUri(), tracking.config())) {
            RunView view = session.get(runId);
            List<ArtifactEntry> artifacts = session.artifacts(view.run());
            if (json) {
                Map<String, Object> document = RunFormats.json(view, clock);
                document.put("artifacts", artifacts.stream().map(RunFormats::json).toList());
                document.put("synced", synced(view.run()));
                out.println(RunFormats.toJson(document));
            } else {
                print(out, view, artifacts);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private void print(PrintWriter out, RunView view, List<ArtifactEntry> artifacts) {
        Run run = view.run();
        RunInfo info = run.info();
        out.println("Run " + info.runId());
        TextTable summary = new TextTable("", "");
        summary.row("name", info.runName());
        summary.row("experiment", view.experimentName() + " (id " + info.experimentId() + ")");
        summary.row("stage", RunFormats.stage(run));
        summary.row("status", RunFormats.status(view));
        summary.row("user", info.userId());
        summary.row("start", RunFormats.time(info.startTimeMillis(), clock));
        summary.row("end", info.endTimeMillis().map(t -> RunFormats.time(t, clock)).orElse("-"));
        summary.row("duration", RunFormats.duration(info, clock));
        summary.row("artifact uri", info.artifactUri());
        summary.printWithoutHeader(out, "  ");
        // whole, not in a table cell that would cut the URI and the run id
        synced(run).forEach(line -> out.println("  " + line));

        section(out, "Params (" + run.data().params().size() + ")");
        TextTable params = new TextTable("KEY", "VALUE");
        RunFormats.sortedKeys(run.data().params()).forEach(k -> params.row(k, run.data().params().get(k)));
        printOrNone(out, params);

        section(out, "Metrics, latest values (" + run.data().latestMetrics().size() + ")");
        TextTable metrics = new TextTable("KEY", "VALUE", "STEP", "TIME");
        for (String key : RunFormats.sortedKeys(run.data().latestMetrics())) {
            Metric m = run.data().latestMetrics().get(key);
            metrics.row(key, RunFormats.number(m.value()), String.valueOf(m.step()), RunFormats.time(m.timestampMillis(), clock));
        }
        printOrNone(out, metrics);

        section(out, "Tags (" + run.data().tags().size() + ")");
        TextTable tags = new TextTable("KEY", "VALUE");
        RunFormats.sortedKeys(run.data().tags()).forEach(k -> tags.row(k, run.data().tags().get(k)));
        printOrNone(out, tags);

        section(out, "Artifacts (" + artifacts.size() + (artifacts.size() >= RunsReader.MAX_ARTIFACTS ? "+, truncated" : "") + ")");
        TextTable files = new TextTable("PATH", "SIZE");
        for (ArtifactEntry entry : artifacts) {
            files.row(entry.path() + (entry.directory() ? "/" : ""), entry.sizeBytes().map(String::valueOf).orElse(""));
        }
        printOrNone(out, files);
    }

    /**
     * The other side of a sync, read from the sync's tags: "synced from URI run ID" on a copy,
     * "synced to URI run ID" (one per destination) on an original.
     */
    static List<String> synced(Run run) {
        Map<String, String> tags = run.data().tags();
        List<String> lines = new java.util.ArrayList<>();
        String sourceRun = tags.get(SyncTags.SOURCE_RUN_ID);
        if (sourceRun != null) {
            lines.add("synced from " + tags.getOrDefault(SyncTags.SOURCE_URI, "(unknown backend)") + " run " + sourceRun);
        }
        for (String key : RunFormats.sortedKeys(tags)) {
            if (key.startsWith(SyncTags.SYNCED_TO_PREFIX)) {
                String[] value = tags.get(key).split(" ", 2);
                lines.add("synced to " + (value.length > 1 ? value[1] : "(unknown backend)") + " run " + value[0]);
            }
        }
        return lines;
    }

    private static void section(PrintWriter out, String title) {
        out.println();
        out.println(title);
    }

    private static void printOrNone(PrintWriter out, TextTable table) {
        if (table.isEmpty()) {
            out.println("  (none)");
        } else {
            table.print(out, "  ");
        }
    }
}
