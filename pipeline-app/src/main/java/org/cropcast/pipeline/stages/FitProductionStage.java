package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.FoldFitter;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.Metric;

/**
 * Fits the model on every year of the window and saves it as {@code model/model.json} in the run
 * directory (and as an artifact). Logs the in-sample skill (step 0) as a sanity check; it is not
 * a measure of forecast skill (that is the hindcast's job).
 */
public final class FitProductionStage implements Stage {
    @Override
    public String name() {
        return "fit-production";
    }

    @Override
    public StageResult run(StageContext context) {
        PipelineConfig config = context.config();
        try (StageInputs inputs = new StageInputs(context)) {
            StageData data = StageData.load(context, inputs);
            StageSettings settings = data.settings();
            int[] years = settings.windowYears();
            context.progress().start("fit-production", 1);
            FittedModel fitted;
            try {
                FoldFitter fitter = new FoldFitter(data.panel(), data.selected(), settings.detrend(), settings.regression(),
                        settings.ridgeAlpha(), context.settings().gbt(), settings.startYear());
                fitted = fitter.fit(years, "fit-production (years " + settings.startYear() + "-" + settings.endYear() + ")");
                context.progress().step("fitted on " + years.length + " years");
            } finally {
                context.progress().finish();
            }
            NationalWeights weights = new NationalWeights(data.panel());
            String weighting = weights.basis().name().toLowerCase(Locale.ROOT);
            ProductionModel model = ProductionModel.of(fitted, data.regions(), data.panel().featurePeriods(), years,
                    settings.ridgeAlpha(), context.settings().gbt(), ModelFiles.configHash(config), context.run().runId().value(),
                    context.settings().unit(), weighting);
            new RunOutputs(context).write(ModelFiles.MODEL_PATH, out -> out.write(ModelFiles.toJson(model)));

            Skill.Accumulator inSample = new Skill.Accumulator();
            int p = data.panel().featureCount();
            for (int r : data.regions()) {
                for (int year : years) {
                    int cell = data.panel().cell(r, year);
                    double predicted = fitted.trend(r, year) + fitted.anomaly(data.panel().features(), cell * p, null);
                    inSample.add(predicted, data.panel().target()[cell]);
                }
            }
            List<Metric> metrics = new StageMetrics(context.clock())
                    .skill("fit.in_sample.regions", inSample.skill(), 0)
                    .add("fit.training_rows", fitted.trainingRows(), 0)
                    .add("fit.regions", data.regions().length, 0)
                    .add("fit.training_years", years.length, 0)
                    .list();
            context.run().logMetrics(metrics);
            context.run().setTags(Map.of("model.format_version", Integer.toString(ProductionModel.VERSION),
                    "model.config_hash", model.configHash()));
            List<DatasetInput> datasets = StageDatasets.of(context, inputs, data, "training");
            context.models().store().logInputs(context.run().runId(), datasets, List.of());
            ProductionModelLogger.Logged logged = ProductionModelLogger.log(context, model, metrics, datasets.get(0).dataset());
            List<String> lines = new ArrayList<>(data.warnings().stream().map(w -> "warning: " + w).toList());
            lines.addAll(List.of(
                    "production model: " + data.regions().length + " regions, " + model.features().size() + " features, "
                            + years.length + " training years (" + settings.startYear() + "-" + settings.endYear() + ")",
                    "detrend " + model.detrend() + ", regression " + model.regression()
                            + HindcastStage.learnerDetail(context.settings()),
                    "saved " + context.runDirectory().resolve(ModelFiles.MODEL_PATH),
                    "logged model " + logged.model().uri() + " (" + logged.model().status() + "), registered as "
                            + logged.version().uri()));
            return new StageResult(lines);
        }
    }
}
