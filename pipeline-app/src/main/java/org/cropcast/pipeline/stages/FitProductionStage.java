package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.FeatureCutoff;
import org.cropcast.pipeline.model.InitDateFitters;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.Metric;

/**
 * Fits the model on every year of the window and saves it as {@code model/model.json} in the run
 * directory (and as an artifact): the all-features model and, for each other feature set that an
 * init month (January-December) observes, a model fitted on exactly those features, so that
 * {@code run forecast} at any init date uses the model of the features observable that day. Logs the in-sample skill (step 0) as a sanity check; it is not
 * a measure of forecast skill (that is the hindcast's job).
 */
public final class FitProductionStage implements Stage {
    @Override
    public String name() {
        return "fit-production";
    }

    /** "months [10, 11, 12]: 10 features, ridge (alpha 10.0); months [1, 2, 3, 4, 5]: 0 features, none (trend only); ...". */
    static String initModelsText(FittedModel all, List<Integer> allMonths, List<ProductionModel.InitFit> initFits) {
        List<String> parts = new ArrayList<>();
        if (!allMonths.isEmpty()) {
            parts.add("months " + allMonths + ": " + all.featureNames().size() + " features, " + all.learner());
        }
        for (ProductionModel.InitFit fit : initFits) {
            parts.add("months " + fit.initMonths() + ": " + fit.model().featureNames().size() + " features, " + fit.model().learner());
        }
        return String.join("; ", parts);
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
            List<Integer> allMonths = new ArrayList<>();
            List<ProductionModel.InitFit> initFits = new ArrayList<>();
            String label = "fit-production (years " + settings.startYear() + "-" + settings.endYear() + ")";
            int[] periods = data.panel().featurePeriods();
            try {
                InitDateFitters fitters = new InitDateFitters(data.panel(), data.selected(), settings.detrend(), settings.regression(),
                        settings.ridgeAlpha(), context.settings().gbt(), settings.startYear());
                fitted = fitters.all().fit(years, label);
                if (fitted.featureNames().isEmpty()) {
                    allMonths.addAll(java.util.stream.IntStream.rangeClosed(1, 12).boxed().toList());
                } else {
                    for (InitDateFitters.ObservableSet set : InitDateFitters.sets(periods)) {
                        if (FeatureCutoff.count(set.mask()) == periods.length) {
                            allMonths.addAll(set.months());
                            continue;
                        }
                        FittedModel sub = fitters.fitter(set.mask()).fit(years, label + " on the features observable in months "
                                + set.months());
                        int[] subPeriods = java.util.stream.IntStream.range(0, periods.length).filter(f -> set.mask()[f])
                                .map(f -> periods[f]).toArray();
                        initFits.add(new ProductionModel.InitFit(set.months(), sub, subPeriods));
                    }
                }
                context.progress().step("fitted on " + years.length + " years");
            } finally {
                context.progress().finish();
            }
            NationalWeights weights = new NationalWeights(data.panel());
            String weighting = weights.basis().name().toLowerCase(Locale.ROOT);
            ProductionModel model = ProductionModel.of(fitted, data.regions(), data.panel().featurePeriods(), years,
                    settings.ridgeAlpha(), context.settings().gbt(), ModelFiles.configHash(config), context.run().runId().value(),
                    context.settings().unit(), weighting, allMonths, initFits);
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
                    "model.config_hash", model.configHash(),
                    "model.init_models", initModelsText(fitted, allMonths, initFits)));
            List<DatasetInput> datasets = StageDatasets.of(context, inputs, data, "training");
            context.models().store().logInputs(context.run().runId(), datasets, List.of());
            ProductionModelLogger.Logged logged = ProductionModelLogger.log(context, model, metrics, datasets.get(0).dataset());
            List<String> lines = new ArrayList<>(data.warnings().stream().map(w -> "warning: " + w).toList());
            lines.addAll(List.of(
                    "production model: " + data.regions().length + " regions, " + model.features().size() + " features, "
                            + years.length + " training years (" + settings.startYear() + "-" + settings.endYear() + ")",
                    "detrend " + model.detrend() + ", regression " + model.regression()
                            + HindcastStage.learnerDetail(context.settings()),
                    "init-date models (one per observable feature set): " + initModelsText(fitted, allMonths, initFits),
                    "saved " + context.runDirectory().resolve(ModelFiles.MODEL_PATH),
                    "logged model " + logged.model().uri() + " (" + logged.model().status() + "), registered as "
                            + logged.version().uri()));
            return new StageResult(lines);
        }
    }
}
