package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.RunReports;
import org.cropcast.pipeline.runs.RunsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast runs report RUN_ID [--output DIR]}. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Render the HTML report of a hindcast or forecast run from its metrics and artifacts,",
            "from any backend, into DIR/report/ (with the fold plots it links to)."})
public final class RunsReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where to write report/<stage>.html and the files it links to. Default: ./cropcast-report-RUN_ID.")
    Path output;

    private final RunsReader reader;
    private final RunReports reports;

    @Inject
    RunsReportCommand(RunsReader reader, RunReports reports) {
        this.reader = reader;
        this.reports = reports;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunsReader.Session session = reader.open(tracking.trackingUri(), tracking.config())) {
            RunsReader.RunView view = session.get(runId);
            Path directory = output != null ? output : Path.of("cropcast-report-" + view.run().id().value());
            RunReports.Written written = reports.toDirectory(session, view, directory.toAbsolutePath());
            out.println("wrote " + written.report() + (written.linkedFiles() > 0 ? " and the " + written.linkedFiles()
                    + " files it links to" : ""));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
