package org.cropcast.pipeline.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.ReferenceTable;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.FoldFitter;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.RegionSelection;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.pipeline.report.HindcastPlots;
import org.cropcast.pipeline.report.Names;
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.pipeline.report.PlotQueue;
import org.cropcast.pipeline.report.SkillTable;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Metric;

/**
 * The hindcast: cross-validated by test year over the window, with the trend and the regression
 * refitted on each fold's training years, predictions per region and nationally, and skill
 * against the observed values for the model, the trend-only baseline and each reference issue.
 *
 * <p>Writes into the run directory (and logs as artifacts under the same paths):
 * {@code datasets/fit.parquet}, {@code datasets/pred.parquet}, {@code datasets/{spec}/<file>},
 * {@code reports/folds/{test_year}/detrend.png} (also through the fold report logger as each is
 * saved), {@code reports/hindcast_summary.png} and {@code reports/skill_table.csv}.
 */
public final class HindcastStage implements Stage {
    static final String NATIONAL = "NATIONAL";
    /** The summary scatter shows at most this many region-years. */
    static final int SCATTER_POINTS = 20_000;
    private static final String[] SKILL_NAMES = {"rmse", "mae", "mape", "bias", "r2"};

    @Override
    public String name() {
        return "hindcast";
    }

    @Override
    public StageResult run(StageContext context) {
        PipelineConfig config = context.config();
        try (StageInputs inputs = new StageInputs(context); PlotQueue plots = new PlotQueue()) {
            plots.warmUp();
            StageData data = StageData.load(context, inputs);
            List<ReferenceTable> references = data.references(config, inputs);
            Run run = new Run(context, data, references, context.settings().unit());
            run.plots = plots;
            run.execute();
            RunOutputs outputs = new RunOutputs(context);
            for (PipelineConfig.ReferenceSpec spec : Optional.ofNullable(config.referenceData()).orElse(List.of())) {
                Location source = inputs.location(spec.path());
                outputs.copy(source, "datasets/" + spec.name() + "/" + source.fileName());
            }
            StageSettings settings = data.settings();
            List<String> lines = new ArrayList<>();
            lines.add(String.format(java.util.Locale.ROOT,
                    "hindcast %d-%d: %s, %d folds, %d regions, detrend %s, regression %s%s; national %s-weighted; unit %s",
                    settings.startYear(), settings.endYear(), settings.cvScheme().configName(), run.summaryYears.size(),
                    data.regions().length, settings.detrend().configName(), settings.regression().configName(),
                    settings.regression() == org.cropcast.pipeline.config.Regression.RIDGE ? " (alpha " + settings.ridgeAlpha() + ")" : "",
                    run.weights.basis().name().toLowerCase(java.util.Locale.ROOT), run.unit));
            lines.addAll(run.table.lines());
            return new StageResult(lines);
        }
    }

    static double[] skillValues(Skill s) {
        return new double[] {s.rmse(), s.mae(), s.mape(), s.bias(), s.r2()};
    }

    static void addSkill(List<Metric> metrics, String prefix, Skill skill, long timestamp, long step) {
        double[] values = skillValues(skill);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                metrics.add(new Metric(prefix + "." + SKILL_NAMES[i], values[i], timestamp, step));
            }
        }
    }

    /** One execution's state: accumulators are primitive, rows stream to Parquet. */
    private static final class Run {
        final StageContext context;
        final Panel panel;
        final StageData data;
        final StageSettings settings;
        final List<ReferenceTable> references;
        final String unit;
        final int[] regions;
        final NationalWeights weights;
        final RunOutputs outputs;
        final SkillTable table = new SkillTable();
        PlotQueue plots;

        final Skill.Accumulator modelAll = new Skill.Accumulator();
        final Skill.Accumulator trendAll = new Skill.Accumulator();
        final Skill.Accumulator modelNational = new Skill.Accumulator();
        final Skill.Accumulator trendNational = new Skill.Accumulator();
        final Skill.Accumulator[] modelRegion;
        final Skill.Accumulator[] trendRegion;
        /** [spec][issue][ref, model, trend] for regions and nationally. */
        final Skill.Accumulator[][][] refRegions;
        final Skill.Accumulator[][][] refNational;

        final List<Double> summaryYears = new ArrayList<>();
        final List<double[]> summaryNational = new ArrayList<>();
        final double[] summaryObserved;
        final double[] summaryPredicted;
        int summaryCount;

        Run(StageContext context, StageData data, List<ReferenceTable> references, String unit) {
            this.context = context;
            this.data = data;
            this.panel = data.panel();
            this.settings = data.settings();
            this.references = references;
            this.unit = unit;
            this.regions = data.regions();
            this.weights = new NationalWeights(panel);
            this.outputs = new RunOutputs(context);
            this.modelRegion = accumulators(panel.regionCount());
            this.trendRegion = accumulators(panel.regionCount());
            int cells = settings.folds().size() * regions.length;
            this.summaryObserved = new double[cells];
            this.summaryPredicted = new double[cells];
            this.refRegions = new Skill.Accumulator[references.size()][][];
            this.refNational = new Skill.Accumulator[references.size()][][];
            for (int s = 0; s < references.size(); s++) {
                int issues = references.get(s).issues().size();
                refRegions[s] = new Skill.Accumulator[issues][];
                refNational[s] = new Skill.Accumulator[issues][];
                for (int i = 0; i < issues; i++) {
                    refRegions[s][i] = accumulators(3);
                    refNational[s][i] = accumulators(3);
                }
            }
        }

        void execute() {
            List<StageSettings.Fold> folds = settings.folds();
            FoldFitter fitter = new FoldFitter(panel, data.selected(), settings.detrend(), settings.regression(),
                    settings.ridgeAlpha(), settings.startYear());
            List<Integer> top = RegionSelection.byProduction(panel, data.selected(), settings.startYear(), settings.endYear());
            ParquetTable.Schema fitSchema = ParquetTable.schema();
            int fFold = fitSchema.integer("fold");
            int fRegion = fitSchema.string("region");
            int fYear = fitSchema.integer("year");
            int fTarget = fitSchema.requiredReal("target");
            int fTrend = fitSchema.requiredReal("trend");
            int fAnomaly = fitSchema.requiredReal("anomaly");
            boolean featuresInFit = context.settings().fitDatasetFeatures();
            int fFirstFeature = -1;
            for (String feature : featuresInFit ? panel.featureNames() : List.<String>of()) {
                int slot = fitSchema.real(feature);
                fFirstFeature = fFirstFeature < 0 ? slot : fFirstFeature;
            }
            int firstFeature = fFirstFeature;
            int rowFeatures = featuresInFit ? panel.featureCount() : 0;
            PredColumns pred = new PredColumns(references);
            int p = panel.featureCount();
            // fit every fold first: bad input (too few years, a singular design) fails before anything is written
            List<FittedModel> models = new ArrayList<>();
            for (StageSettings.Fold fold : folds) {
                models.add(fitter.fit(fold.trainYears(), fold.label()));
            }
            context.progress().start("hindcast", folds.size());
            try {
                // pred.parquet is published (and logged) only once every fold is in it, after fit.parquet
                outputs.write("datasets/pred.parquet", predOut -> {
                    try (ParquetTable predTable = pred.schema.open(predOut)) {
                        outputs.write("datasets/fit.parquet", fitOut -> {
                            try (ParquetTable fitTable = fitSchema.open(fitOut)) {
                                ParquetTable.Row row = fitTable.row();
                                for (int foldIndex = 0; foldIndex < folds.size(); foldIndex++) {
                                    StageSettings.Fold fold = folds.get(foldIndex);
                                    FittedModel model = models.get(foldIndex);
                                    row.ints[fFold] = fold.testYear();
                                    fitter.trainingRows(fold.trainYears(), model, (r, year, target, trend, anomaly) -> {
                                        row.strings[fRegion] = panel.regions().get(r);
                                        row.ints[fYear] = year;
                                        row.doubles[fTarget] = target;
                                        row.doubles[fTrend] = trend;
                                        row.doubles[fAnomaly] = anomaly;
                                        int offset = panel.cell(r, year) * p;
                                        for (int f = 0; f < rowFeatures; f++) {
                                            row.doubles[firstFeature + f] = panel.features()[offset + f];
                                        }
                                        fitTable.write();
                                    });
                                    foldResult(fold, model, predTable, pred, top);
                                    context.progress().step("fold " + fold.key());
                                }
                            }
                        });
                    }
                });
                if (!featuresInFit && p > 0) {
                    writeFeatures();
                }
                plots.awaitAll();
            } finally {
                context.progress().finish();
            }
            finish();
        }

        /** datasets/features.parquet: the features once per selected region and window year. */
        void writeFeatures() {
            ParquetTable.Schema schema = ParquetTable.schema();
            int cRegion = schema.string("region");
            int cYear = schema.integer("year");
            int first = -1;
            for (String feature : panel.featureNames()) {
                int slot = schema.real(feature);
                first = first < 0 ? slot : first;
            }
            int firstFeature = first;
            int p = panel.featureCount();
            outputs.write("datasets/features.parquet", out -> {
                try (ParquetTable table = schema.open(out)) {
                    ParquetTable.Row row = table.row();
                    for (int r : regions) {
                        row.strings[cRegion] = panel.regions().get(r);
                        for (int year = settings.startYear(); year <= settings.endYear(); year++) {
                            row.ints[cYear] = year;
                            int offset = panel.cell(r, year) * p;
                            System.arraycopy(panel.features(), offset, row.doubles, firstFeature, p);
                            table.write();
                        }
                    }
                }
            });
        }

        void foldResult(StageSettings.Fold fold, FittedModel model, ParquetTable predTable, PredColumns pred, List<Integer> top) {
            int year = fold.testYear();
            int n = regions.length;
            double[] observed = new double[n];
            double[] trend = new double[n];
            double[] predicted = new double[n];
            double[] predictedByRegion = new double[panel.regionCount()];
            Arrays.fill(predictedByRegion, Double.NaN);
            Skill.Accumulator foldModel = new Skill.Accumulator();
            Skill.Accumulator foldTrend = new Skill.Accumulator();
            ParquetTable.Row row = predTable.row();
            row.ints[pred.fold] = year;
            row.ints[pred.year] = year;
            row.strings[pred.level] = "region";
            int p = panel.featureCount();
            for (int i = 0; i < n; i++) {
                int r = regions[i];
                int cell = panel.cell(r, year);
                observed[i] = panel.target()[cell];
                trend[i] = model.trend(r, year);
                double anomaly = model.anomaly(panel.features(), cell * p, null);
                predicted[i] = trend[i] + anomaly;
                predictedByRegion[r] = predicted[i];
                foldModel.add(predicted[i], observed[i]);
                foldTrend.add(trend[i], observed[i]);
                modelAll.add(predicted[i], observed[i]);
                trendAll.add(trend[i], observed[i]);
                modelRegion[r].add(predicted[i], observed[i]);
                trendRegion[r].add(trend[i], observed[i]);
                summaryObserved[summaryCount] = observed[i];
                summaryPredicted[summaryCount++] = predicted[i];
                row.strings[pred.region] = panel.regions().get(r);
                row.doubles[pred.observed] = observed[i];
                row.doubles[pred.trend] = trend[i];
                row.doubles[pred.predicted] = predicted[i];
                row.doubles[pred.anomaly] = anomaly;
                row.doubles[pred.weight] = weights.weight(r, year);
                for (int s = 0; s < references.size(); s++) {
                    double[][] values = references.get(s).values();
                    for (int k = 0; k < values.length; k++) {
                        double ref = values[k][cell];
                        row.doubles[pred.references[s][k]] = ref;
                        if (!Double.isNaN(ref) && !Double.isNaN(observed[i])) {
                            refRegions[s][k][0].add(ref, observed[i]);
                            refRegions[s][k][1].add(predicted[i], observed[i]);
                            refRegions[s][k][2].add(trend[i], observed[i]);
                        }
                    }
                }
                predTable.write();
            }
            double nationalObserved = weights.aggregate(regions, year, observed, predicted);
            double nationalPredicted = weights.aggregate(regions, year, predicted, observed);
            double nationalTrend = weights.aggregate(regions, year, trend, observed);
            modelNational.add(nationalPredicted, nationalObserved);
            trendNational.add(nationalTrend, nationalObserved);
            summaryYears.add((double) year);
            summaryNational.add(new double[] {nationalObserved, nationalPredicted, nationalTrend});
            row.strings[pred.level] = "national";
            row.strings[pred.region] = NATIONAL;
            row.doubles[pred.observed] = nationalObserved;
            row.doubles[pred.trend] = nationalTrend;
            row.doubles[pred.predicted] = nationalPredicted;
            row.doubles[pred.anomaly] = nationalPredicted - nationalTrend;
            row.doubles[pred.weight] = Double.NaN;
            double[] masked = new double[n];
            double[] maskedObserved = new double[n];
            double[] maskedTrend = new double[n];
            for (int s = 0; s < references.size(); s++) {
                double[][] values = references.get(s).values();
                for (int k = 0; k < values.length; k++) {
                    double[] ref = new double[n];
                    for (int i = 0; i < n; i++) {
                        ref[i] = values[k][panel.cell(regions[i], year)];
                        boolean both = !Double.isNaN(ref[i]) && !Double.isNaN(observed[i]);
                        masked[i] = both ? predicted[i] : Double.NaN;
                        maskedTrend[i] = both ? trend[i] : Double.NaN;
                        maskedObserved[i] = both ? observed[i] : Double.NaN;
                    }
                    double nationalRef = weights.aggregate(regions, year, ref, maskedObserved);
                    row.doubles[pred.references[s][k]] = nationalRef;
                    if (!Double.isNaN(nationalRef)) {
                        double obs = weights.aggregate(regions, year, maskedObserved, maskedObserved);
                        refNational[s][k][0].add(nationalRef, obs);
                        refNational[s][k][1].add(weights.aggregate(regions, year, masked, maskedObserved), obs);
                        refNational[s][k][2].add(weights.aggregate(regions, year, maskedTrend, maskedObserved), obs);
                    }
                }
            }
            predTable.write();

            long timestamp = context.clock().millis();
            List<Metric> metrics = new ArrayList<>();
            addSkill(metrics, "fold.model.regions", foldModel.skill(), timestamp, year);
            addSkill(metrics, "fold.trend.regions", foldTrend.skill(), timestamp, year);
            if (!Double.isNaN(nationalObserved)) {
                metrics.add(new Metric("fold.model.national.error", nationalPredicted - nationalObserved, timestamp, year));
                metrics.add(new Metric("fold.trend.national.error", nationalTrend - nationalObserved, timestamp, year));
                if (nationalObserved != 0) {
                    metrics.add(new Metric("fold.model.national.abs_pct_error",
                            100 * Math.abs(nationalPredicted - nationalObserved) / Math.abs(nationalObserved), timestamp, year));
                    metrics.add(new Metric("fold.trend.national.abs_pct_error",
                            100 * Math.abs(nationalTrend - nationalObserved) / Math.abs(nationalObserved), timestamp, year));
                }
            }
            metrics.add(new Metric("fold.train_rows", model.trainingRows(), timestamp, year));
            context.run().logMetrics(metrics);

            String relative = "reports/folds/" + fold.key() + "/detrend.png";
            Path png = outputs.scratch(relative);
            List<Integer> shown = top;
            String selection = "largest producers";
            if (weights.basis() == NationalWeights.Basis.EQUAL) {
                // no production or area: show the regions the fold got most wrong
                shown = new ArrayList<>(top);
                shown.sort(java.util.Comparator.comparingDouble((Integer r) -> {
                    double error = Math.abs(predictedByRegion[r] - panel.target(r, year));
                    return Double.isNaN(error) ? 0 : -error;
                }));
                selection = "largest errors";
            }
            List<Integer> plotted = shown;
            String plottedSelection = selection;
            plots.submit(() -> {
                HindcastPlots.fold(png, panel, model, plotted, year, fold.trainYears(), settings.startYear(), settings.endYear(),
                        predictedByRegion, unit, plottedSelection);
                context.storage().copy(Location.local(png), outputs.location(relative));
                context.run().foldReportLogger().reportSaved(fold.key(), png);
            });
        }

        void finish() {
            long timestamp = context.clock().millis();
            List<Metric> metrics = new ArrayList<>();
            String weighting = weights.basis().name().toLowerCase(java.util.Locale.ROOT) + "-weighted";
            addRow(metrics, "model", "regions", modelAll.skill(), "model.regions", timestamp);
            addRow(metrics, "trend", "regions", trendAll.skill(), "trend.regions", timestamp);
            addRow(metrics, "model", "national", modelNational.skill(), "model.national", timestamp);
            addRow(metrics, "trend", "national", trendNational.skill(), "trend.national", timestamp);
            for (int r : regions) {
                String key = Names.metricSegment(panel.regions().get(r));
                addSkill(metrics, "model.region." + key, modelRegion[r].skill(), timestamp, 0);
                addSkill(metrics, "trend.region." + key, trendRegion[r].skill(), timestamp, 0);
            }
            for (int s = 0; s < references.size(); s++) {
                ReferenceTable reference = references.get(s);
                for (int k = 0; k < reference.issues().size(); k++) {
                    String key = "ref." + Names.metricSegment(reference.name()) + "." + Names.metricSegment(reference.issues().get(k));
                    String[] keys = {key, key + ".model", key + ".trend"};
                    String[] scopes = {"regions", "national"};
                    Skill.Accumulator[][][][] sources = {refRegions, refNational};
                    for (int scope = 0; scope < 2; scope++) {
                        Skill[] skills = new Skill[3];
                        for (int j = 0; j < 3; j++) {
                            skills[j] = sources[scope][s][k][j].skill();
                            addSkill(metrics, keys[j] + "." + scopes[scope], skills[j], timestamp, 0);
                            metrics.add(new Metric(keys[j] + "." + scopes[scope] + ".n", skills[j].n(), timestamp, 0));
                        }
                        table.addComparison(reference.name(), reference.issues().get(k), scopes[scope], skills[0], skills[1], skills[2]);
                    }
                }
            }
            metrics.add(new Metric("hindcast.folds", summaryYears.size(), timestamp, 0));
            metrics.add(new Metric("hindcast.regions", regions.length, timestamp, 0));
            context.run().logMetrics(metrics);
            context.run().setTags(java.util.Map.of("hindcast.national_weighting", weighting,
                    "hindcast.cv_scheme", settings.cvScheme().configName()));

            outputs.write("reports/skill_table.csv", out -> out.write(table.csv()));
            int years = summaryYears.size();
            double[] x = new double[years];
            double[][] national = new double[3][years];
            for (int i = 0; i < years; i++) {
                x[i] = summaryYears.get(i);
                for (int j = 0; j < 3; j++) {
                    national[j][i] = summaryNational.get(i)[j];
                }
            }
            // at most SCATTER_POINTS region-years in the scatter (every k-th, deterministic)
            int stride = Math.max(1, (summaryCount + SCATTER_POINTS - 1) / SCATTER_POINTS);
            double[] regionObserved = new double[(summaryCount + stride - 1) / stride];
            double[] regionPredicted = new double[regionObserved.length];
            for (int i = 0, j = 0; i < summaryCount; i += stride, j++) {
                regionObserved[j] = summaryObserved[i];
                regionPredicted[j] = summaryPredicted[i];
            }
            Path png = outputs.scratch("reports/hindcast_summary.png");
            HindcastPlots.summary(png, x, national[0], national[1], national[2], regionObserved, regionPredicted, unit, weighting);
            outputs.copy(png, "reports/hindcast_summary.png");
        }

        private void addRow(List<Metric> metrics, String source, String scope, Skill skill, String key, long timestamp) {
            table.add(source, scope, skill);
            addSkill(metrics, key, skill, timestamp, 0);
            metrics.add(new Metric(key + ".n", skill.n(), timestamp, 0));
        }

        private static Skill.Accumulator[] accumulators(int n) {
            Skill.Accumulator[] out = new Skill.Accumulator[n];
            for (int i = 0; i < n; i++) {
                out[i] = new Skill.Accumulator();
            }
            return out;
        }
    }

    /** The columns of pred.parquet. */
    private static final class PredColumns {
        final ParquetTable.Schema schema = ParquetTable.schema();
        final int fold = schema.integer("fold");
        final int level = schema.string("level");
        final int region = schema.string("region");
        final int year = schema.integer("year");
        final int observed = schema.real("observed");
        final int trend = schema.real("trend");
        final int predicted = schema.real("predicted");
        final int anomaly = schema.real("predicted_anomaly");
        final int weight = schema.real("weight");
        final int[][] references;

        PredColumns(List<ReferenceTable> tables) {
            references = new int[tables.size()][];
            for (int s = 0; s < tables.size(); s++) {
                List<String> issues = tables.get(s).issues();
                references[s] = new int[issues.size()];
                for (int k = 0; k < issues.size(); k++) {
                    references[s][k] = schema.real(Names.column("ref_" + tables.get(s).name() + "_" + issues.get(k)));
                }
            }
        }
    }
}
