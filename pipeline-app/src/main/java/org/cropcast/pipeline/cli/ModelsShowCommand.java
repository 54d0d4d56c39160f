package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.ModelsAccess;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast models show NAME}. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show one registered model: its versions (newest first) with their aliases, source run and logged model.")
public final class ModelsShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Parameters(paramLabel = "NAME", description = "The registered model's name (config key model_name).")
    String name;

    private final ModelsAccess access;
    private final Clock clock;

    @Inject
    ModelsShowCommand(ModelsAccess access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelsAccess.Session session = access.open(tracking.trackingUri(), tracking.config())) {
            RegisteredModel model = session.registered(name);
            List<ModelVersion> versions = session.models().listModelVersions(name);
            out.println("Registered model " + model.name());
            out.println("  aliases  " + ModelsListCommand.aliases(model.aliases()));
            out.println("  created  " + RunFormats.time(model.creationTimeMillis(), clock));
            out.println("  updated  " + RunFormats.time(model.lastUpdatedTimeMillis(), clock));
            out.println();
            TextTable table = new TextTable("VERSION", "ALIASES", "STATUS", "RUN", "SOURCE", "CREATED");
            for (ModelVersion v : versions) {
                table.row(Integer.toString(v.version()), v.aliases().isEmpty() ? "-" : "@" + String.join(", @", v.aliases()), v.status(),
                        v.runId().map(RunId::value).orElse("-"), v.source(), RunFormats.time(v.creationTimeMillis(), clock));
            }
            table.print(out, "");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
