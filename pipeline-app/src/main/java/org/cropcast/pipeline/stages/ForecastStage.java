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
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.ProductionModel;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.pipeline.report.Names;
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.LoggedModel;

/**
 * The forecast for one init date: the production model of the run directory applied to the
 * features observable by then. The target year is the init date's year. A long-form feature of
 * period (month) m is observable once month m has ended ({@code init_date >= first day of month
 * m + 1}); a wide feature (no period) always is. An unobservable or missing feature contributes
 * its training mean (z = 0), so an early init date falls back towards the trend.
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
        if (period < 1 || period > 12) {
            return true;
        }
        return !initDate.isBefore(LocalDate.of(year, period, 1).plusMonths(1));
    }

    /** The production model of a logged model: its MLmodel must have the cropcast flavor. */
    private static ProductionModel fromRegistry(StageContext context, LoggedModel logged) {
        MlflowModelFiles.requireCropcastFlavor(context.models().artifacts(), logged);
        try (java.io.InputStream in = MlflowModelFiles.open(context.models().artifacts(), logged, MlflowModelFiles.MODEL_FILE)) {
            return ModelFiles.read(in, logged.uri());
        } catch (java.io.IOException e) {
            throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, logged.uri() + ": cannot read "
                    + MlflowModelFiles.MODEL_FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StageResult run(StageContext context) {
        LocalDate initDate = context.initDate().orElseThrow(() -> new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                "forecast: an init date is required (--init-date YYYY-MM-DD)"));
        PipelineConfig config = context.config();
        String modelLabel = context.models().forecastModel().map(LoggedModel::uri)
                .orElseGet(() -> context.runDirectory().resolve(ModelFiles.MODEL_PATH).toString());
        ProductionModel saved = context.models().forecastModel().map(logged -> fromRegistry(context, logged))
                .orElseGet(() -> ModelFiles.read(context.storage(), context.runDirectory()));
        FittedModel model = saved.toFitted();
        try (StageInputs inputs = new StageInputs(context)) {
            StageData data = StageData.load(context, inputs);
            context.models().store().logInputs(context.run().runId(), StageDatasets.of(context, inputs, data, "evaluation"),
                    context.models().forecastModel().map(m -> List.of(m.modelId())).orElse(List.of()));
            Panel panel = data.panel();
            if (!model.featureNames().isEmpty() && !model.featureNames().equals(panel.featureNames())) {
                throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, modelLabel
                        + ": the model's features " + model.featureNames() + " do not match the configured features "
                        + panel.featureNames());
            }
            int year = initDate.getYear();
            if (year < panel.firstYear()) {
                // no trend weights nor features before the data: the forecast would be NaN
                throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "--init-date " + initDate
                        + ": the data start in " + panel.firstYear() + "; a forecast year cannot precede them");
            }
            int p = model.featureNames().size();
            boolean[] observable = new boolean[p];
            int counted = 0;
            for (int f = 0; f < p; f++) {
                observable[f] = observable(saved.features().get(f).period(), year, initDate);
                counted += observable[f] ? 1 : 0;
            }
            int observableCount = counted;
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
                trend[i] = model.trend(modelIndex.get(i), year);
                anomaly[i] = model.anomaly(features, 0, observable);
                predicted[i] = trend[i] + anomaly[i];
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
                    .add("forecast.features_observable", observableCount, step)
                    .add("forecast.regions", n, step);
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "forecast %s for %d: national %.3f %s (trend %.3f), %d of %d features observable, %d regions",
                    dateText, year, nationalPredicted, context.settings().unit(), nationalTrend, observableCount, p, n));
            if (!Double.isNaN(nationalObserved)) {
                metrics.add("forecast.national.observed", nationalObserved, step)
                        .add("forecast.national.error", nationalPredicted - nationalObserved, step)
                        .absPctError("forecast.national", nationalPredicted, nationalObserved, step);
                lines.add(String.format(Locale.ROOT, "observed national %.3f: error %+.3f", nationalObserved,
                        nationalPredicted - nationalObserved));
            }
            if (skill.count() > 0) {
                metrics.skill("forecast.regions", skill.skill(), step);
            }
            context.run().logMetrics(metrics.list());
            lines.add("wrote " + context.runDirectory().resolve(relative));
            return new StageResult(lines);
        }
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
