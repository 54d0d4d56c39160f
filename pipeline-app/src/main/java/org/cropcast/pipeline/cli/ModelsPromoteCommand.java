package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.ModelsAccess;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ModelErrorCode;
import org.cropcast.tracking.ModelRegistries;
import org.cropcast.tracking.ModelVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast models promote NAME VERSION --alias ALIAS}. */
@Command(name = "promote", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Point an alias (for example champion) at a version of a registered model.",
            "An alias that named another version moves; forecast with --model models:/NAME@ALIAS."})
public final class ModelsPromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Parameters(index = "0", paramLabel = "NAME", description = "The registered model's name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version number.")
    int version;

    @Option(names = "--alias", required = true, paramLabel = "ALIAS",
            description = "Letters, digits, '_' and '-'; not 'latest' or v<number> (reserved by MLflow).")
    String alias;

    private final ModelsAccess access;

    @Inject
    ModelsPromoteCommand(ModelsAccess access) {
        this.access = access;
    }

    @Override
    public Integer call() {
        ModelRegistries.validateAlias(alias);
        PrintWriter out = spec.commandLine().getOut();
        try (ModelsAccess.Session session = access.open(tracking.trackingUri(), tracking.config())) {
            session.registered(name);
            ModelVersion target = session.models().getModelVersion(name, version).orElseThrow(() -> new CropcastException(
                    ModelErrorCode.MODEL_VERSION_NOT_FOUND, "registered model '" + name + "' has no version " + version));
            session.models().setAlias(name, alias, version);
            out.println(name + " version " + target.version() + " is now @" + alias + " (" + target.source() + ")");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
