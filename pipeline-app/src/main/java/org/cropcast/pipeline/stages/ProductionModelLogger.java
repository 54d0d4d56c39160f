package org.cropcast.pipeline.stages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RunScope;

/**
 * Logs fit-production's model the MLflow 3 way: a logged model of the run's experiment (params of
 * the fit, in-sample metrics on the training target's digest), its MLflow model directory at the
 * model's artifact location, READY once every file is there (FAILED if anything before fails),
 * the run's output, then a new version of the registered model {@code model_name}. The version is
 * created only from the READY model, so a failure leaves no version.
 */
final class ProductionModelLogger {
    static final String MODEL_NAME = "production";

    record Logged(LoggedModel model, ModelVersion version) {}

    private ProductionModelLogger() {}

    static Logged log(StageContext context, ProductionModel model, List<Metric> inSample, Dataset trainingTarget) {
        ActiveRun run = context.run();
        PipelineConfig config = context.config();
        ModelStore store = context.models().store();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("detrend", model.detrend());
        params.put("regression", model.regression());
        params.put("ridge_alpha", Double.toString(model.ridgeAlpha()));
        if (model.gbt() != null) {
            params.put("gbt.library", model.gbt().library());
            model.gbt().settings().params().forEach((key, value) -> params.put("gbt." + key, value));
        }
        params.put("features", Integer.toString(model.features().size()));
        params.put("regions", Integer.toString(model.regions().size()));
        params.put("training_years", model.trainingYears().get(0) + "-" + model.trainingYears().get(model.trainingYears().size() - 1));
        params.put("config_hash", model.configHash());
        LoggedModel logged = store.createLoggedModel(new LoggedModelRequest(run.experimentId(), MODEL_NAME, Optional.of(run.runId()),
                Optional.of(MlflowModelFiles.FLAVOR), params, Map.of("cropcast.stage", run.stage(),
                        "cropcast.experiment_key", config.experimentKey())));
        try {
            Path directory = context.workDirectory().resolve("mlflow-model");
            Map<String, Object> mlmodel = MlflowModelFiles.mlmodel(logged, run.runId(), model, config.target().yieldColumn(),
                    config.target().regionColumn(), config.target().yearColumn(), Instant.now());
            MlflowModelFiles.write(directory, mlmodel, ModelFiles.toJson(model), resolvedConfig(context));
            context.models().artifacts().logDirectoryContents(logged.artifactLocation(), directory, "");
            store.logModelMetrics(run.runId(), logged.modelId(), inSample, Optional.of(trainingTarget));
            logged = store.finalizeLoggedModel(logged.modelId(), LoggedModelStatus.READY);
        } catch (RuntimeException e) {
            try {
                store.finalizeLoggedModel(logged.modelId(), LoggedModelStatus.FAILED);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        store.logOutputs(run.runId(), List.of(new ModelOutput(logged.modelId(), 0)));
        store.createRegisteredModel(config.modelName());
        ModelVersion version = store.createModelVersion(config.modelName(), logged.modelId());
        run.setTags(Map.of("cropcast.model_id", logged.modelId().value(),
                "cropcast.model_version", version.uri()));
        return new Logged(logged, version);
    }

    /** The configuration the run scope wrote into the run directory. */
    private static byte[] resolvedConfig(StageContext context) {
        try (InputStream in = context.storage().newInputStream(context.runDirectory().resolve(RunScope.CONFIG_FILE))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot read " + RunScope.CONFIG_FILE + " of the run directory: "
                    + e.getMessage(), e);
        }
    }
}
