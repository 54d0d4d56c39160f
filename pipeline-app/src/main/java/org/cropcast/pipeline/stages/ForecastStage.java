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
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Metric;

/**
 * The forecast for one init date: the production model of the run directory applied to the
 * features observable by then. The target year is the init date's year. A long-form feature of
 * period (month) m is observable once month m has ended ({@code init_date >= first day of month
 * m + 1}); a wide feature (no period) always is. An unobservable or missing feature contributes
 * its training mean (z = 0), so an early init date falls back towards the trend.
 *
 * <p>Writes {@code forecasts/<init_date>/forecast.parquet}; metrics use step = init date as the
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

    @Override
    public StageResult run(StageContext context) {
        LocalDate initDate = context.initDate().orElseThrow(() -> new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                "forecast: an init date is required (--init-date YYYY-MM-DD)"));
        PipelineConfig config = context.config();
        ProductionModel saved = ModelFiles.read(context.storage(), context.runDirectory());
        FittedModel model = saved.toFitted();
        try (StageInputs inputs = new StageInputs(context)) {
            StageData data = StageData.load(context, inputs);
            Panel panel = data.panel();
            if (!model.featureNames().isEmpty() && !model.featureNames().equals(panel.featureNames())) {
                throw new CropcastException(PipelineErrorCode.MODEL_NOT_FOUND, context.runDirectory().resolve(ModelFiles.MODEL_PATH)
                        + ": the model's features " + model.featureNames() + " do not match the configured features "
                        + panel.featureNames());
            }
            int year = initDate.getYear();
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
            double[] observed = new double[n];
            double[] trend = new double[n];
            double[] predicted = new double[n];
            double[] features = new double[Math.max(p, 1)];
            NationalWeights weights = new NationalWeights(panel);
            Skill.Accumulator skill = new Skill.Accumulator();

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
                            int r = regions[i];
                            Arrays.fill(features, Double.NaN);
                            if (panel.containsYear(year)) {
                                int cell = panel.cell(r, year);
                                System.arraycopy(panel.features(), cell * p, features, 0, p);
                                observed[i] = panel.target()[cell];
                            } else {
                                observed[i] = Double.NaN;
                            }
                            int m = modelIndex.get(i);
                            trend[i] = model.trend(m, year);
                            double anomaly = model.anomaly(features, 0, observable);
                            predicted[i] = trend[i] + anomaly;
                            skill.add(predicted[i], observed[i]);
                            row.strings[cRegion] = panel.regions().get(r);
                            row.doubles[cTrend] = trend[i];
                            row.doubles[cAnomaly] = anomaly;
                            row.doubles[cPredicted] = predicted[i];
                            row.doubles[cObserved] = observed[i];
                            row.doubles[cWeight] = weights.weight(r, year);
                            table.write();
                        }
                        double[] ones = new double[n];
                        row.strings[cLevel] = "national";
                        row.strings[cRegion] = HindcastStage.NATIONAL;
                        row.doubles[cTrend] = weights.aggregate(regions, year, trend, ones);
                        row.doubles[cPredicted] = weights.aggregate(regions, year, predicted, ones);
                        row.doubles[cAnomaly] = row.doubles[cPredicted] - row.doubles[cTrend];
                        row.doubles[cObserved] = anyObserved(observed) ? weights.aggregate(regions, year, observed, predicted) : Double.NaN;
                        row.doubles[cWeight] = Double.NaN;
                        table.write();
                    }
                });
                context.progress().step("forecast " + dateText);
            } finally {
                context.progress().finish();
            }
            double nationalPredicted = weights.aggregate(regions, year, predicted, new double[n]);
            double nationalTrend = weights.aggregate(regions, year, trend, new double[n]);
            double nationalObserved = anyObserved(observed) ? weights.aggregate(regions, year, observed, predicted) : Double.NaN;
            long step = step(initDate);
            long timestamp = context.clock().millis();
            List<Metric> metrics = new ArrayList<>();
            metrics.add(new Metric("forecast.national.predicted", nationalPredicted, timestamp, step));
            metrics.add(new Metric("forecast.national.trend", nationalTrend, timestamp, step));
            metrics.add(new Metric("forecast.features_observable", observableCount, timestamp, step));
            metrics.add(new Metric("forecast.regions", n, timestamp, step));
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "forecast %s for %d: national %.3f %s (trend %.3f), %d of %d features observable, %d regions",
                    dateText, year, nationalPredicted, context.settings().unit(), nationalTrend, observableCount, p, n));
            if (!Double.isNaN(nationalObserved)) {
                metrics.add(new Metric("forecast.national.observed", nationalObserved, timestamp, step));
                metrics.add(new Metric("forecast.national.error", nationalPredicted - nationalObserved, timestamp, step));
                if (nationalObserved != 0) {
                    metrics.add(new Metric("forecast.national.abs_pct_error",
                            100 * Math.abs(nationalPredicted - nationalObserved) / Math.abs(nationalObserved), timestamp, step));
                }
                lines.add(String.format(Locale.ROOT, "observed national %.3f: error %+.3f", nationalObserved,
                        nationalPredicted - nationalObserved));
            }
            if (skill.count() > 0) {
                HindcastStage.addSkill(metrics, "forecast.regions", skill.skill(), timestamp, step);
            }
            context.run().logMetrics(metrics);
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
