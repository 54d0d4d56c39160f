package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.RunsSync;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.RunSyncResult.Outcome;
import org.cropcast.tracking.sync.SyncReport;
import org.cropcast.tracking.sync.SyncRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cropcast runs sync --to URI}. */
@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Copy runs to another tracking backend: complete (info, params, tags, every metric",
            "point, artifacts byte for byte, parent links), idempotent (a second sync copies nothing),",
            "incremental (a resumed run gets only what is new) and safe to kill and restart.",
            "Exit code 0 when every run synced, 2 when a param conflicted, 3 when a run failed."})
public final class RunsSyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "URI",
            description = "Destination backend: sqlite:///path.db (created if missing), http(s)://host:port or memory:.")
    String to;

    @Option(names = "--from", paramLabel = "URI",
            description = "Source backend. Default: the --config file's mlflow_tracking_uri, else MLFLOW_TRACKING_URI, "
                    + "else sqlite:///mlruns.db in the data root.")
    String from;

    @Option(names = "--config", paramLabel = "FILE", description = "Take the source tracking URI (and data root) from this configuration.")
    Path config;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Sync the active runs of this experiment (repeatable).")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Sync this run (repeatable; parents come along).")
    List<String> runs = new ArrayList<>();

    @Option(names = "--dry-run", description = "Report what would be copied; write nothing on either side.")
    boolean dryRun;

    @Option(names = "--finalize-stale", description = "End RUNNING source runs whose heartbeat stopped as KILLED, on both sides.")
    boolean finalizeStale;

    @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "A RUNNING run whose heartbeat is older than this is stale (default: ${DEFAULT-VALUE}).")
    Duration staleAfter;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Sync N runs at once, a child always after its parent (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--no-progress", description = "Do not show progress.")
    boolean noProgress;

    private final RunsSync sync;
    private final ProcessContext context;

    @Inject
    RunsSyncCommand(RunsSync sync, ProcessContext context) {
        this.sync = sync;
        this.context = context;
    }

    @Override
    public Integer call() {
        List<RunId> ids = runs.stream().map(RunId::of).toList();
        SyncRequest request = new SyncRequest(experiments, ids, dryRun, finalizeStale, staleAfter, parallel);
        PrintWriter err = spec.commandLine().getErr();
        boolean quiet = spec.root().userObject() instanceof CropcastCommand root && root.quiet;
        SyncReport report = sync.sync(Optional.ofNullable(from), Optional.ofNullable(config), to, request,
                SyncProgress.choose(context, err, noProgress || json || quiet));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(RunFormats.toJson(json(report)));
        } else {
            print(out, report);
        }
        out.flush();
        Map<Outcome, Integer> counts = report.counts();
        if (counts.get(Outcome.FAILED) > 0) {
            return ExitCodes.EXTERNAL;
        }
        return counts.get(Outcome.CONFLICT) > 0 ? ExitCodes.USER_INPUT : ExitCodes.OK;
    }

    private static void print(PrintWriter out, SyncReport report) {
        out.println((report.dryRun() ? "Dry run (nothing written): " : "Synced ") + report.source() + " -> " + report.destination());
        if (report.runs().isEmpty()) {
            out.println("  no runs selected");
            return;
        }
        TextTable table = new TextTable("RUN", "NAME", "EXPERIMENT", "RESULT", "COPY", "METRICS", "FILES", "BYTES");
        for (RunSyncResult r : report.runs()) {
            table.row(r.sourceRunId().value(), r.runName(), r.experimentName(),
                    r.outcome().name().toLowerCase(Locale.ROOT) + (r.stale() ? r.finalized() ? " (stale, ended KILLED)" : " (stale)" : ""),
                    r.destinationRunId().map(RunId::value).orElse("-"), String.format(Locale.ROOT, "%,d", r.metricPoints()),
                    String.valueOf(r.artifactFiles()), SyncProgress.bytes(r.artifactBytes()));
        }
        table.print(out, "  ");
        Map<Outcome, Integer> counts = report.counts();
        out.println();
        out.println(String.format(Locale.ROOT, "Runs: %d created, %d updated, %d unchanged, %d conflicting, %d failed%s",
                counts.get(Outcome.CREATED), counts.get(Outcome.UPDATED), counts.get(Outcome.UNCHANGED),
                counts.get(Outcome.CONFLICT), counts.get(Outcome.FAILED),
                report.staleRuns() > 0 ? "; " + report.staleRuns() + " stale (RUNNING, heartbeat stopped)" : ""));
        out.println(String.format(Locale.ROOT, "Copied: %,d metric points, %d files, %s; %d dataset inputs, %d logged models, %d model versions",
                report.metricPoints(), report.artifactFiles(), SyncProgress.bytes(report.artifactBytes()), report.datasets(), report.models(),
                report.modelVersions()) + (report.dryRun() ? " (would be)" : ""));
        List<RunSyncResult> withProblems = report.runs().stream().filter(r -> !r.problems().isEmpty()).toList();
        if (!withProblems.isEmpty()) {
            out.println();
            out.println("Problems");
            for (RunSyncResult r : withProblems) {
                r.problems().forEach(p -> out.println("  " + r.sourceRunId() + " (" + r.runName() + "): " + p));
            }
        }
    }

    static Map<String, Object> json(SyncReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", report.source());
        out.put("destination", report.destination());
        out.put("dry_run", report.dryRun());
        out.put("succeeded", report.succeeded());
        Map<String, Object> counts = new LinkedHashMap<>();
        report.counts().forEach((outcome, n) -> counts.put(outcome.name().toLowerCase(Locale.ROOT), n));
        out.put("runs_by_result", counts);
        out.put("metric_points", report.metricPoints());
        out.put("artifact_files", report.artifactFiles());
        out.put("artifact_bytes", report.artifactBytes());
        out.put("datasets", report.datasets());
        out.put("models", report.models());
        out.put("model_versions", report.modelVersions());
        out.put("stale_runs", report.staleRuns());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunSyncResult r : report.runs()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("source_run_id", r.sourceRunId().value());
            run.put("destination_run_id", r.destinationRunId().map(RunId::value).orElse(null));
            run.put("experiment", r.experimentName());
            run.put("run_name", r.runName());
            run.put("result", r.outcome().name().toLowerCase(Locale.ROOT));
            run.put("metric_points", r.metricPoints());
            run.put("params", r.params());
            run.put("tags", r.tags());
            run.put("artifact_files", r.artifactFiles());
            run.put("artifact_bytes", r.artifactBytes());
            run.put("files_copied_in_storage", r.filesCopiedInStorage());
            run.put("datasets", r.datasets());
            run.put("models", r.models());
            run.put("model_versions", r.modelVersions());
            run.put("stale", r.stale());
            run.put("finalized", r.finalized());
            run.put("problems", r.problems());
            runs.add(run);
        }
        out.put("runs", runs);
        return out;
    }
}
