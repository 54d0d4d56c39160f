package org.cropcast.pipeline.stages;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.PanelLoader;
import org.cropcast.pipeline.data.TableReader;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.FeatureCutoff;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.pipeline.report.Markdown;
import org.cropcast.pipeline.report.Names;
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.Storage;

/**
 * The forecast for one init date: the production model's model of the features observable by
 * then ({@link FeatureCutoff}, the same cut-off and the same estimate as the hindcast's init dates)
 * applied to their values. The target year is the init date's year. A feature of period (month) m
 * is observable once month m has ended ({@code init_date >= first day of month m + 1}); a feature
 * without a period always is. The model used was fitted on exactly the observable features
 * ({@code init_models} of {@code model.json}); a model without one for them (format version 1) is
 * refused. An observable feature without a value in a region contributes its training mean
 * (z = 0); the summary says how many are present and where values are missing. A year without any feature values is refused unless
 * {@code --allow-trend-only}; a training year of the model is labelled in-sample.
 *
 * <p>Writes {@code forecasts/<init_date>/forecast.parquet} (with a {@code ref_<name>_<issue>} column per
 * reference issue: its estimate for the target year, by region and nationally); metrics use step = init date as the
 * integer yyyymmdd (e.g. 20240801), so every init date of one forecast run is a point of the same
 * metric history.
 */
public final class ForecastStage implements Stage {
    @Override
    public String name() {
        return "forecast";
    }

    /** The metric step of an init date: yyyymmdd as an integer. */
    public static long step(LocalDate initDate) {
        return Long.parseLong(initDate.format(DateTimeFormatter.BASIC_ISO_DATE));
    }

    /** True if a feature of this period (month 1-12; 0 = no period) of {@code year} is known on {@code initDate}. */
    public static boolean observable(int period, int year, LocalDate initDate) {
        return FeatureCutoff.observable(period, year, initDate);
    }

    /** The production model of a logged model: its MLmodel must have the cropcast flavor. */
    private static ProductionModel fromRegistry(StageModels models, LoggedModel logged) {
        MlflowModelFiles.requireCropcastFlavor(models.artifacts(), logged);
        try (java.io.InputStream in = MlflowModelFiles.open(models.artifacts(), logged, MlflowModelFiles.MODEL_FILE)) {
            return ModelFiles.read(in, logged.uri());
        } catch (java.io.IOException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + ": cannot read "
                    + MlflowModelFiles.MODEL_FILE + ": " + e.getMessage(), e);
        }
    }

    /** The model to forecast with: the registry's (when given) or the run directory's, and how messages name it. */
    private record SavedModel(ProductionModel model, String label) {
        static SavedModel of(StageModels models, Storage storage, Location runDirectory) {
            return models.forecastModel()
                    .map(logged -> new SavedModel(fromRegistry(models, logged), logged.uri()))
                    .orElseGet(() -> new SavedModel(ModelFiles.read(storage, runDirectory),
                            runDirectory.resolve(ModelFiles.MODEL_PATH).toString()));
        }

        /** Which of the model's features are observable on {@code initDate} (in the model's feature order). */
        boolean[] observable(LocalDate initDate) {
            return FeatureCutoff.mask(model.features().stream().mapToInt(ProductionModel.Feature::period).toArray(), initDate);
        }

        /**
         * The model fitted on exactly the features observable on {@code initDate}; refused
         * ({@code NO_MODEL_FOR_INIT_DATE}) naming the init date, the models the file has (by init
         * month) and, last (a long line is cut at 300 characters), the observable features.
         */
        FittedModel modelAt(LocalDate initDate) {
            boolean[] observable = observable(initDate);
            List<String> names = new ArrayList<>();
            for (int f = 0; f < observable.length; f++) {
                if (observable[f]) {
                    names.add(model.features().get(f).name());
                }
            }
            return model.modelFor(names).orElseThrow(() -> new CropcastException(PipelineErrorCode.NO_MODEL_FOR_INIT_DATE,
                    label + ": no model fitted on the " + names.size() + " of " + observable.length + " features observable on "
                            + initDate + "; it has " + model.initMonthsText() + "; refit it with fit-production (observable: "
                            + String.join(", ", names) + ")"));
        }

        /** Refuses a model fitted on other features than {@code configured} (those the configuration reads from the features file). */
        void requireFeatures(List<String> configured) {
            List<String> names = model.features().stream().map(ProductionModel.Feature::name).toList();
            if (!names.isEmpty() && !names.equals(configured)) {
                throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, label + ": the model's features " + names
                        + " do not match the configured features " + configured);
            }
        }
    }

    /**
     * Before the forecast run exists: the model is read (a registry model's flavor checked), its
     * features must be the configuration's, it must have a model for the features observable on the
     * init date ({@code NO_MODEL_FOR_INIT_DATE}), and a local features file must have those columns.
     */
    @Override
    public void check(StageCheck check) {
        SavedModel saved = SavedModel.of(check.models(), check.storage(), check.runDirectory());
        PipelineConfig.FeatureSpec features = check.config().features();
        saved.requireFeatures(features == null ? List.of() : PanelLoader.featureNames(features));
        check.initDate().ifPresent(saved::modelAt);
        if (features != null && features.path() != null && !saved.model().features().isEmpty()) {
            Location file = PipelineSettings.resolve(check.settings().dataRoot(), features.path());
            if (file.isLocal()) { // an object-store file is checked when the run reads it
                TableReader.requireColumns(file.localPath(), features.path(), PanelLoader.featureColumns(features));
            }
        }
    }

    @Override
    public StageResult run(StageContext context) {
        LocalDate initDate = context.initDate().orElseThrow(() -> new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                "forecast: an init date is required (--init-date YYYY-MM-DD)"));
        PipelineConfig config = context.config();
        SavedModel savedModel = SavedModel.of(context.models(), context.storage(), context.runDirectory());
        ProductionModel saved = savedModel.model();
        try (StageInputs inputs = new StageInputs(context)) {
            StageData data = StageData.load(context, inputs);
            context.models().store().logInputs(context.run().runId(), StageDatasets.of(context, inputs, data, "evaluation"),
                    context.models().forecastModel().map(m -> List.of(m.modelId())).orElse(List.of()));
            Panel panel = data.panel();
            savedModel.requireFeatures(panel.featureNames()); // checked before the run too (check), kept for direct callers
            int year = initDate.getYear();
            if (year < panel.firstYear()) {
                // no trend weights nor features before the data: the forecast would be NaN
                throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "--init-date " + initDate
                        + ": the data start in " + panel.firstYear() + "; a forecast year cannot precede them");
            }
            int p = saved.features().size();
            boolean[] observable = savedModel.observable(initDate);
            int observableCount = FeatureCutoff.count(observable);
            FittedModel model = savedModel.modelAt(initDate); // checked before the run too (check), kept for direct callers
            boolean trendOnly = p > 0 && !panel.anyFeatureValues(year);
            if (trendOnly && !context.allowTrendOnly()) {
                throw new CropcastException(PipelineErrorCode.NO_FEATURES_FOR_YEAR, config.features().path()
                        + ": no feature values for " + year + " (" + featureYears(panel)
                        + "): the forecast would be the trend alone; pass --allow-trend-only to accept that");
            }
            boolean inSample = saved.trainingYears().contains(year);
            Map<String, Integer> panelIndex = new HashMap<>();
            for (int r = 0; r < panel.regionCount(); r++) {
                panelIndex.put(panel.regions().get(r), r);
            }
            List<Integer> regionList = new ArrayList<>();
            List<Integer> modelIndex = new ArrayList<>();
            for (int m = 0; m < model.regions().size(); m++) {
                Integer r = panelIndex.get(model.regions().get(m));
                if (r != null) {
                    regionList.add(r);
                    modelIndex.add(m);
                }
            }
            int n = regionList.size();
            int[] regions = regionList.stream().mapToInt(Integer::intValue).toArray();
            // compute: every selected region's forecast, then the national aggregates
            double[] observed = new double[n];
            double[] trend = new double[n];
            double[] anomaly = new double[n];
            double[] predicted = new double[n];
            double[] features = new double[Math.max(p, 1)];
            int[] present = new int[n];
            NationalWeights weights = new NationalWeights(panel);
            Skill.Accumulator skill = new Skill.Accumulator();
            for (int i = 0; i < n; i++) {
                int r = regions[i];
                Arrays.fill(features, Double.NaN);
                if (panel.containsYear(year)) {
                    int cell = panel.cell(r, year);
                    System.arraycopy(panel.features(), cell * p, features, 0, p);
                    observed[i] = panel.target()[cell];
                } else {
                    observed[i] = Double.NaN;
                }
                FeatureCutoff.Estimate estimate = FeatureCutoff.estimate(model, modelIndex.get(i), year, features, 0, observable);
                trend[i] = estimate.trend();
                anomaly[i] = estimate.anomaly();
                predicted[i] = estimate.predicted();
                present[i] = estimate.present();
                skill.add(predicted[i], observed[i]);
            }
            double[] ones = new double[n];
            double nationalTrendRow = weights.aggregate(regions, year, trend, ones);
            double nationalPredictedRow = weights.aggregate(regions, year, predicted, ones);
            double nationalPredicted = weights.aggregate(regions, year, predicted, new double[n]);
            double nationalTrend = weights.aggregate(regions, year, trend, new double[n]);
            double nationalObserved = anyObserved(observed) ? weights.aggregate(regions, year, observed, predicted) : Double.NaN;

            // write: forecast.parquet, then the metrics
            ParquetTable.Schema schema = ParquetTable.schema();
            int cInit = schema.string("init_date");
            int cYear = schema.integer("target_year");
            int cLevel = schema.string("level");
            int cRegion = schema.string("region");
            int cTrend = schema.real("trend");
            int cAnomaly = schema.real("predicted_anomaly");
            int cPredicted = schema.real("predicted");
            int cObserved = schema.real("observed");
            int cWeight = schema.real("weight");
            int cObservable = schema.integer("features_observable");
            int cTotal = schema.integer("features_total");
            int cPresent = schema.integer("features_present");
            // the reference issues of the target year, beside the forecast (NaN where a reference has no estimate)
            List<org.cropcast.pipeline.data.ReferenceTable> references = data.references(config, inputs);
            List<double[][]> referenceValues = new ArrayList<>();
            List<Integer> cReferences = new ArrayList<>();
            for (org.cropcast.pipeline.data.ReferenceTable reference : references) {
                double[][] values = new double[reference.issues().size()][n];
                for (int k = 0; k < values.length; k++) {
                    cReferences.add(schema.real(Names.column("ref_" + reference.name() + "_" + reference.issues().get(k))));
                    for (int i = 0; i < n; i++) {
                        values[k][i] = panel.containsYear(year) ? reference.values()[k][panel.cell(regions[i], year)] : Double.NaN;
                    }
                }
                referenceValues.add(values);
            }
            String dateText = initDate.toString();
            String relative = "forecasts/" + dateText + "/forecast.parquet";
            context.progress().start("forecast " + dateText, 1);
            try {
                new RunOutputs(context).write(relative, out -> {
                    try (ParquetTable table = schema.open(out)) {
                        ParquetTable.Row row = table.row();
                        row.strings[cInit] = dateText;
                        row.ints[cYear] = year;
                        row.ints[cObservable] = observableCount;
                        row.ints[cTotal] = p;
                        row.strings[cLevel] = "region";
                        for (int i = 0; i < n; i++) {
                            row.strings[cRegion] = panel.regions().get(regions[i]);
                            row.ints[cPresent] = present[i];
                            row.doubles[cTrend] = trend[i];
                            row.doubles[cAnomaly] = anomaly[i];
                            row.doubles[cPredicted] = predicted[i];
                            row.doubles[cObserved] = observed[i];
                            row.doubles[cWeight] = weights.weight(regions[i], year);
                            int c = 0;
                            for (double[][] values : referenceValues) {
                                for (double[] issue : values) {
                                    row.doubles[cReferences.get(c++)] = issue[i];
                                }
                            }
                            table.write();
                        }
                        row.strings[cLevel] = "national";
                        row.strings[cRegion] = Names.NATIONAL;
                        row.doubles[cTrend] = nationalTrendRow;
                        row.doubles[cPredicted] = nationalPredictedRow;
                        row.doubles[cAnomaly] = nationalPredictedRow - nationalTrendRow;
                        row.doubles[cObserved] = nationalObserved;
                        row.doubles[cWeight] = Double.NaN;
                        row.ints[cPresent] = n == 0 ? 0 : Arrays.stream(present).min().getAsInt();
                        int c = 0;
                        for (double[][] values : referenceValues) {
                            for (double[] issue : values) {
                                // nationally over the regions where the reference has an estimate
                                row.doubles[cReferences.get(c++)] = weights.aggregate(regions, year, issue, issue);
                            }
                        }
                        table.write();
                    }
                });
                context.progress().step("forecast " + dateText);
            } finally {
                context.progress().finish();
            }
            long step = step(initDate);
            StageMetrics metrics = new StageMetrics(context.clock())
                    .add("forecast.national.predicted", nationalPredicted, step)
                    .add("forecast.national.trend", nationalTrend, step)
                    .add("forecast.features_observable", observableCount, step);
            int fewest = n == 0 ? 0 : Arrays.stream(present).min().getAsInt();
            metrics.add("forecast.features_present.min", fewest, step)
                    .add("forecast.regions", n, step)
                    .add("forecast.in_sample", inSample ? 1 : 0, step);
            List<String> lines = new ArrayList<>(data.warnings().stream().map(w -> "warning: " + w).toList());
            lines.add(String.format(Locale.ROOT, "forecast %s for %d: national %.3f %s (trend %.3f), %d of %d features observable, %d regions",
                    dateText, year, nationalPredicted, context.settings().unit(), nationalTrend, observableCount, p, n));
            if (p > 0) {
                lines.add(presentLine(panel, regions, present, observableCount, p));
                lines.add("model: " + (observableCount == p ? "the all-features model" : "the model fitted on the " + observableCount
                        + " features observable on " + dateText) + ", " + model.learner());
                metrics.add("forecast.model_features", model.featureNames().size(), step);
            }
            if (trendOnly) {
                lines.add("trend only (--allow-trend-only): " + config.features().path() + " has no feature values for " + year
                        + " (" + featureYears(panel) + ")");
            } else if (p > 0 && observableCount == 0) {
                lines.add("trend only: no feature's period has ended by " + dateText);
            }
            if (!Double.isNaN(nationalObserved)) {
                metrics.add("forecast.national.observed", nationalObserved, step)
                        .add("forecast.national.error", nationalPredicted - nationalObserved, step)
                        .absPctError("forecast.national", nationalPredicted, nationalObserved, step);
                lines.add(String.format(Locale.ROOT, "observed national %.3f: error %+.3f%s", nationalObserved,
                        nationalPredicted - nationalObserved, inSample
                                ? " (in-sample: " + year + " is one of the model's training years, so this is not a forecast error)"
                                : ""));
            }
            if (skill.count() > 0) {
                metrics.skill("forecast.regions", skill.skill(), step);
            }
            context.run().logMetrics(metrics.list());
            lines.add("wrote " + context.runDirectory().resolve(relative));
            List<String> markdown = new ArrayList<>(lines.stream().map(line -> "- " + Markdown.text(line)).toList());
            markdown.add("");
            markdown.add("#### Forecast " + dateText + " for " + year);
            markdown.add("");
            String unit = context.settings().unit();
            markdown.addAll(Markdown.table(List.of("init date", "target year", "level", "predicted (" + unit + ")", "trend (" + unit + ")",
                    "anomaly", "observed", "features observable", "regions", "in-sample"),
                    List.of(Markdown.Align.LEFT, Markdown.Align.RIGHT, Markdown.Align.LEFT, Markdown.Align.RIGHT, Markdown.Align.RIGHT,
                            Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.LEFT),
                    List.of(List.of(dateText, Integer.toString(year), "national", number(nationalPredicted), number(nationalTrend),
                            number(nationalPredicted - nationalTrend), number(nationalObserved), observableCount + " of " + p,
                            Integer.toString(n), inSample ? "yes" : "no"))));
            return new StageResult(lines, markdown);
        }
    }

    /** A forecast number as the description shows it: 3 decimals, "-" for NaN. */
    private static String number(double value) {
        return org.cropcast.pipeline.report.SkillTable.num(value, org.cropcast.pipeline.report.SkillTable.DECIMALS);
    }

    /** "k of p features present": in every region, or the regions that have fewer than the observable ones. */
    static String presentLine(Panel panel, int[] regions, int[] present, int observable, int p) {
        List<String> fewer = new ArrayList<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < regions.length; i++) {
            min = Math.min(min, present[i]);
            max = Math.max(max, present[i]);
            if (present[i] < observable) {
                fewer.add(panel.regions().get(regions[i]) + " " + present[i]);
            }
        }
        if (regions.length == 0) {
            return "0 regions: no features present";
        }
        String counts = min == max ? min + " of " + p : min + "-" + max + " of " + p;
        if (fewer.isEmpty()) {
            return counts + " features present (observable with a value) in every region";
        }
        return counts + " features present (observable with a value); " + fewer.size() + " of " + regions.length
                + " regions lack observable values (the training mean is used): " + StageData.named(fewer);
    }

    /** "features have values for 2000-2022" or "features have no values". */
    private static String featureYears(Panel panel) {
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (int year = panel.firstYear(); year <= panel.lastYear(); year++) {
            if (panel.anyFeatureValues(year)) {
                first = Math.min(first, year);
                last = Math.max(last, year);
            }
        }
        return first > last ? "it has no values" : "its values cover " + first + "-" + last;
    }

    private static boolean anyObserved(double[] observed) {
        for (double value : observed) {
            if (!Double.isNaN(value)) {
                return true;
            }
        }
        return false;
    }
}
