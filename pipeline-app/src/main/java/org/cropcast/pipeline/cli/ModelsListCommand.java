package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.cropcast.pipeline.runs.ModelsAccess;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RegisteredModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cropcast models list}. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the registered models: latest version, aliases, last update.")
public final class ModelsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    private final ModelsAccess access;
    private final Clock clock;

    @Inject
    ModelsListCommand(ModelsAccess access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelsAccess.Session session = access.open(tracking.trackingUri(), tracking.config())) {
            List<RegisteredModel> models = session.models().listRegisteredModels();
            if (models.isEmpty()) {
                out.println("No registered models in " + session.target().display() + " (fit-production registers one).");
            } else {
                TextTable table = new TextTable("NAME", "LATEST", "ALIASES", "UPDATED");
                for (RegisteredModel model : models) {
                    List<ModelVersion> versions = session.models().listModelVersions(model.name());
                    table.row(model.name(), versions.isEmpty() ? "-" : Integer.toString(versions.get(0).version()),
                            aliases(model.aliases()), RunFormats.time(model.lastUpdatedTimeMillis(), clock));
                }
                table.print(out, "");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static String aliases(Map<String, Integer> aliases) {
        if (aliases.isEmpty()) {
            return "-";
        }
        return aliases.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "@" + e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
