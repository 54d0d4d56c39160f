package org.cropcast.pipeline.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.ReferenceTable;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.FeatureCutoff;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.FoldFitter;
import org.cropcast.pipeline.model.InitDateFitters;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.NormalizedRmse;
import org.cropcast.pipeline.model.RegionSelection;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.pipeline.report.HindcastPlots;
import org.cropcast.pipeline.report.Names;
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.pipeline.report.PlotQueue;
import org.cropcast.pipeline.report.SkillTable;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DatasetArtifacts;
import org.cropcast.tracking.Location;

/**
 * The hindcast: cross-validated by test year over the window, with the trend and the regression
 * refitted on each fold's training years, predictions per region and nationally, and skill
 * against the observed values for the model, the trend-only baseline and each reference issue.
 *
 * <p>Writes into the run directory (and logs as artifacts under the same paths):
 * {@code datasets/fit.parquet}, {@code datasets/pred.parquet}, {@code datasets/{spec}/<file>},
 * {@code reports/folds/{test_year}/detrend.png} (also through the fold report logger as each is
 * saved), {@code reports/hindcast_summary.png}, {@code reports/skill_table.csv} and
 * {@code reports/coefficients.csv} (each fold's standardised anomaly coefficients). After the stage,
 * the launcher renders {@code report/hindcast.html} from the run's metrics and these files.
 */
public final class HindcastStage implements Stage {
    /** The summary scatter shows at most this many region-years. */
    static final int SCATTER_POINTS = 20_000;

    @Override
    public String name() {
        return "hindcast";
    }

    /** Every region and every reference spec and issue gets its own metric keys and prediction columns (see {@link Names#requireUnique}). */
    private static void requireUniqueKeys(StageData data, List<ReferenceTable> references) {
        java.util.Map<String, String> regions = new java.util.LinkedHashMap<>();
        data.panel().regions().forEach(region -> regions.put("region '" + region + "'", Names.metricSegment(region)));
        Names.requireUnique(regions, "metric key segment");
        java.util.Map<String, String> metricKeys = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> columns = new java.util.LinkedHashMap<>();
        for (ReferenceTable reference : references) {
            for (String issue : reference.issues()) {
                String name = "reference '" + reference.name() + "' issue '" + issue + "'";
                metricKeys.put(name, "ref." + Names.metricSegment(reference.name()) + "." + Names.metricSegment(issue));
                columns.put(name, Names.column("ref_" + reference.name() + "_" + issue));
            }
        }
        Names.requireUnique(metricKeys, "metric key");
        Names.requireUnique(columns, "prediction column");
    }

    @Override
    public StageResult run(StageContext context) {
        PipelineConfig config = context.config();
        try (StageInputs inputs = new StageInputs(context); PlotQueue plots = new PlotQueue()) {
            plots.warmUp();
            StageData data = StageData.load(context, inputs);
            context.models().store().logInputs(context.run().runId(), StageDatasets.of(context, inputs, data, "evaluation"),
                    context.models().forecastModel().map(m -> List.of(m.modelId())).orElse(List.of()));
            List<ReferenceTable> references = data.references(config, inputs);
            requireUniqueKeys(data, references);
            Run run = new Run(context, data, references, context.settings().unit());
            run.plots = plots;
            run.execute();
            RunOutputs outputs = new RunOutputs(context);
            for (PipelineConfig.ReferenceSpec spec : Optional.ofNullable(config.referenceData()).orElse(List.of())) {
                Location source = inputs.location(spec.path());
                outputs.copy(source, DatasetArtifacts.referenceDirectory(spec.name()) + "/" + source.fileName());
            }
            StageSettings settings = data.settings();
            List<String> lines = new ArrayList<>();
            lines.add(String.format(java.util.Locale.ROOT,
                    "hindcast %d-%d: %s, %d folds, %d regions, detrend %s, regression %s%s; national %s-weighted; unit %s",
                    settings.startYear(), settings.endYear(), settings.cvScheme().configName(), run.skill.years.size(),
                    data.regions().length, settings.detrend().configName(), settings.regression().configName(),
                    learnerDetail(context.settings()),
                    run.weights.basis().name().toLowerCase(java.util.Locale.ROOT), run.unit));
            data.warnings().forEach(w -> lines.add("warning: " + w));
            if (run.skill.testCellsMissingFeatures > 0) {
                lines.add("note: " + run.skill.testCellsMissingFeatures + " test region-years lack some feature value; the model uses the"
                        + " feature's training mean there (metric hindcast.test_cells_missing_features)");
            }
            if (context.settings().regression() == org.cropcast.pipeline.config.Regression.AUTO) {
                lines.add("regression auto, every feature known: " + choices(run.choices, settings.folds().size())
                        + " (metrics fold.auto.gbt_chosen, fold.auto.trend_chosen, fold.auto.ridge_alpha)");
                for (InitDate init : run.initDates) {
                    lines.add("regression auto at " + init.key + " (" + init.observable(data.panel()) + " of "
                            + data.panel().featureCount() + " features observable): " + choices(init.choices, settings.folds().size())
                            + " (metrics init." + init.key + ".auto.*)");
                }
            }
            if (data.panel().featureCount() > 0) {
                lines.add("model: every feature as if known (no init-date cut-off)" + (run.initDates.isEmpty()
                        ? "; set init_dates for the skill as of a forecast date"
                        : "; at each init date below, a model per fold fitted on only the features observable that day"
                                + " (the training years cut off at the same month-day), as run forecast uses"));
            }
            if (data.panel().featureCount() > 0 && !references.isEmpty()) {
                lines.add("reference issues are compared with " + issueModels(references, run.issueDates));
            }
            List<String> markdown = new ArrayList<>();
            lines.forEach(line -> markdown.add("- " + org.cropcast.pipeline.report.Markdown.text(line)));
            markdown.add("");
            markdown.add("#### Skill");
            markdown.add("");
            markdown.addAll(run.table.markdown());
            lines.addAll(run.table.lines());
            for (InitDate init : run.initDates) {
                String heading = "init date " + init.key + " (" + init.observable(data.panel()) + " of " + data.panel().featureCount()
                        + " features observable)";
                lines.add("");
                lines.add(heading + ":");
                lines.addAll(init.table.lines());
                markdown.add("");
                markdown.add("#### Skill at " + org.cropcast.pipeline.report.Markdown.text(heading));
                markdown.add("");
                markdown.addAll(init.table.markdown());
            }
            return new StageResult(lines, markdown);
        }
    }

    private static String trees(org.cropcast.pipeline.config.PipelineSettings settings) {
        return settings.gbt().map(g -> String.format(java.util.Locale.ROOT,
                " (XGBoost: %d trees, depth %d, learning rate %s, subsample %s, min child weight %s, seed %d)", g.trees(),
                g.maxDepth(), g.learningRate(), g.subsample(), g.minChildWeight(), g.seed())).orElse("");
    }

    /** The learner's settings for a summary line: " (alpha 1.0)" for ridge, the trees for gbt, "" otherwise. */
    static String learnerDetail(org.cropcast.pipeline.config.PipelineSettings settings) {
        return switch (settings.regression()) {
            case RIDGE -> " (alpha " + settings.ridgeAlpha() + ")";
            case GBT -> trees(settings);
            case AUTO -> " (per fold and init date, by inner " + FoldFitter.INNER_FOLDS + "-fold cross-validation on its training"
                    + " years: " + String.join(", ", FoldFitter.autoCandidates(settings.ridgeAlpha()).stream()
                            .map(l -> l.regression() == org.cropcast.pipeline.config.Regression.GBT ? "gbt" + trees(settings) : l.toString())
                            .toList()) + ")";
            default -> "";
        };
    }

    /** "ridge (alpha 10.0) in 12, gbt in 3 of 15 folds": the learners chosen, most often first. */
    static String choices(java.util.Map<String, Integer> counts, int folds) {
        List<java.util.Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(java.util.Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()));
        List<String> parts = new ArrayList<>();
        entries.forEach(e -> parts.add(e.getKey() + " in " + e.getValue()));
        return String.join(", ", parts) + " of " + folds + " folds";
    }

    /** "the model as of its issue date for NASS fcst_aug (08-12), ...; the all-features model for ...". */
    static String issueModels(List<ReferenceTable> references, MonthDay[][] issueDates) {
        List<String> dated = new ArrayList<>();
        List<String> undated = new ArrayList<>();
        for (int s = 0; s < references.size(); s++) {
            for (int k = 0; k < references.get(s).issues().size(); k++) {
                String name = references.get(s).name() + " " + references.get(s).issues().get(k);
                if (issueDates[s][k] == null) {
                    undated.add(name);
                } else {
                    dated.add(name + " (" + issueKey(issueDates[s][k]) + ")");
                }
            }
        }
        List<String> parts = new ArrayList<>();
        if (!dated.isEmpty()) {
            parts.add("the model as of the issue's date for " + String.join(", ", dated));
        }
        if (!undated.isEmpty()) {
            parts.add("the all-features model for " + String.join(", ", undated) + " (no issue_dates)");
        }
        return String.join("; ", parts);
    }

    static String issueKey(MonthDay date) {
        return String.format(java.util.Locale.ROOT, "%02d-%02d", date.getMonthValue(), date.getDayOfMonth());
    }

    /** reference_data's issue_dates per spec and issue, checked against the issues read. */
    static MonthDay[][] issueDates(PipelineConfig config, List<ReferenceTable> references) {
        List<PipelineConfig.ReferenceSpec> specs = Optional.ofNullable(config.referenceData()).orElse(List.of());
        MonthDay[][] out = new MonthDay[references.size()][];
        for (int s = 0; s < references.size(); s++) {
            ReferenceTable table = references.get(s);
            java.util.Map<String, String> dates = Optional.ofNullable(specs.get(s).issueDates()).orElse(java.util.Map.of());
            out[s] = new MonthDay[table.issues().size()];
            for (String issue : dates.keySet()) {
                if (!table.issues().contains(issue)) {
                    throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "reference_data '"
                            + table.name() + "': issue_dates names issue '" + issue + "', which " + table.file()
                            + " does not have (its issues: " + String.join(", ", table.issues()) + ")");
                }
            }
            for (int k = 0; k < table.issues().size(); k++) {
                String date = dates.get(table.issues().get(k));
                out[s][k] = date == null ? null : MonthDay.parse("--" + date);
            }
        }
        return out;
    }

    /** The hindcast at one init date (month-day): the accumulators and the skill table. */
    static final class InitDate {
        final MonthDay monthDay;
        final String key;
        final Skill.Accumulator modelAll = new Skill.Accumulator();
        final Skill.Accumulator modelNational = new Skill.Accumulator();
        final NormalizedRmse modelNrmse = new NormalizedRmse();
        final SkillTable table = new SkillTable();
        /** regression auto: per learner chosen at this init date, the number of folds. */
        final java.util.Map<String, Integer> choices = new java.util.TreeMap<>();
        /** The national estimate of the year last added. */
        double lastNational = Double.NaN;

        private InitDate(String key) {
            this.key = key;
            this.monthDay = MonthDay.parse("--" + key);
        }

        static List<InitDate> of(List<String> keys) {
            List<InitDate> out = new ArrayList<>();
            for (String key : Optional.ofNullable(keys).orElse(List.of())) {
                out.add(new InitDate(key));
            }
            out.sort(java.util.Comparator.comparing(d -> d.monthDay));
            return out;
        }

        /** How many features are observable at this init date (the same in every year). */
        int observable(Panel panel) {
            return FeatureCutoff.count(FeatureCutoff.mask(panel.featurePeriods(), monthDay));
        }

        void addYear(NationalWeights weights, int[] regions, int year, double[] observed, double[] trend, double[] predicted) {
            Skill.Accumulator fold = new Skill.Accumulator();
            for (int i = 0; i < regions.length; i++) {
                fold.add(predicted[i], observed[i]);
                modelAll.add(predicted[i], observed[i]);
            }
            modelNrmse.addYear(fold);
            lastNational = weights.aggregate(regions, year, predicted, observed);
            modelNational.add(lastNational, weights.aggregate(regions, year, observed, predicted));
        }
    }

    /**
     * One execution's state: each fold's predictions are computed ({@link FoldPrediction}) and
     * accumulated ({@link HindcastSkill}), then written (pred.parquet rows, fold metrics, the fold's
     * plot); rows stream to Parquet.
     */
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
        final HindcastSkill skill;
        PlotQueue plots;

        /** The hindcast at each configured init date, in date order. */
        final List<InitDate> initDates;
        /** [spec][issue]: the issue's publication date (issue_dates), or null: compared with the all-features model. */
        final MonthDay[][] issueDates;
        /** regression auto: per learner chosen by the all-features model, the number of folds. */
        final java.util.Map<String, Integer> choices = new java.util.TreeMap<>();
        /** reports/coefficients.csv: fold, feature, standardised coefficient. */
        final StringBuilder coefficients = new StringBuilder("fold,feature,standardised_coefficient\n");
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
            this.skill = new HindcastSkill(panel.regionCount(), settings.folds().size() * regions.length,
                    references.stream().mapToInt(r -> r.issues().size()).toArray());
            this.initDates = InitDate.of(context.config().initDates());
            this.issueDates = issueDates(context.config(), references);
        }

        void execute() {
            List<StageSettings.Fold> folds = settings.folds();
            InitDateFitters fitters = new InitDateFitters(panel, data.selected(), settings.detrend(), settings.regression(),
                    settings.ridgeAlpha(), context.settings().gbt(), settings.startYear());
            FoldFitter fitter = fitters.all();
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
            PredColumns pred = new PredColumns(references, initDates);
            int p = panel.featureCount();
            // fit every fold first: bad input (too few years, a singular design) fails before anything is written
            List<FittedModel> models = new ArrayList<>();
            // and per fold the model of each init date's (and issue date's) observable features, keyed by mask
            java.util.Map<MonthDay, String> maskOf = new java.util.HashMap<>();
            java.util.Map<String, boolean[]> masks = new java.util.LinkedHashMap<>();
            java.util.Map<String, String> dateOf = new java.util.HashMap<>();
            List<MonthDay> dates = new ArrayList<>(initDates.stream().map(d -> d.monthDay).toList());
            for (MonthDay[] issue : issueDates) {
                java.util.Arrays.stream(issue).filter(java.util.Objects::nonNull).forEach(dates::add);
            }
            String allKey = InitDateFitters.key(FeatureCutoff.all(p));
            for (MonthDay date : dates) {
                boolean[] mask = fitters.mask(date);
                String key = InitDateFitters.key(mask);
                maskOf.put(date, key);
                if (!key.equals(allKey)) {
                    masks.putIfAbsent(key, mask);
                    dateOf.putIfAbsent(key, issueKey(date));
                }
            }
            List<java.util.Map<String, FittedModel>> modelsAt = new ArrayList<>();
            for (StageSettings.Fold fold : folds) {
                FittedModel all = fitter.fit(fold.trainYears(), fold.label());
                models.add(all);
                java.util.Map<String, FittedModel> byMask = new java.util.HashMap<>();
                byMask.put(allKey, all);
                masks.forEach((key, mask) -> byMask.put(key, fitters.fitter(mask).fit(fold.trainYears(),
                        fold.label() + " (the features observable on " + dateOf.get(key) + ")")));
                modelsAt.add(byMask);
                choices.merge(all.learner().toString(), 1, Integer::sum);
                for (InitDate init : initDates) {
                    init.choices.merge(byMask.get(maskOf.get(init.monthDay)).learner().toString(), 1, Integer::sum);
                }
            }
            context.progress().start("hindcast", folds.size());
            try {
                // pred.parquet is published (and logged) only once every fold is in it, after fit.parquet
                outputs.write(DatasetArtifacts.PRED_PATH, predOut -> {
                    try (ParquetTable predTable = pred.schema.open(predOut)) {
                        outputs.write(DatasetArtifacts.FIT_PATH, fitOut -> {
                            try (ParquetTable fitTable = fitSchema.open(fitOut)) {
                                ParquetTable.Row row = fitTable.row();
                                for (int foldIndex = 0; foldIndex < folds.size(); foldIndex++) {
                                    StageSettings.Fold fold = folds.get(foldIndex);
                                    FittedModel model = models.get(foldIndex);
                                    java.util.Map<String, FittedModel> byMask = modelsAt.get(foldIndex);
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
                                    FoldPrediction prediction = FoldPrediction.of(panel, regions, weights, references, model,
                                            date -> byMask.get(maskOf.get(date)), fold.testYear(),
                                            initDates.stream().map(d -> d.monthDay).toList(), issueDates);
                                    skill.add(prediction, regions);
                                    for (InitDate init : initDates) {
                                        init.addYear(weights, regions, fold.testYear(), prediction.observed(), prediction.trend(),
                                                prediction.asOf().get(init.monthDay));
                                    }
                                    writePredRows(prediction, predTable, pred);
                                    context.run().logMetrics(foldMetrics(prediction, model).list());
                                    addCoefficients(fold, model);
                                    submitFoldPlot(fold, model, prediction, top);
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
            outputs.write(DatasetArtifacts.DIRECTORY + "/features.parquet", out -> {
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

        /** The fold's rows of pred.parquet: one per selected region, then the national row. */
        void writePredRows(FoldPrediction fold, ParquetTable predTable, PredColumns pred) {
            int year = fold.year();
            ParquetTable.Row row = predTable.row();
            row.ints[pred.fold] = year;
            row.ints[pred.year] = year;
            row.strings[pred.level] = "region";
            for (int i = 0; i < regions.length; i++) {
                int r = regions[i];
                for (int d = 0; d < initDates.size(); d++) {
                    row.doubles[pred.initDates[d]] = fold.asOf().get(initDates.get(d).monthDay)[i];
                }
                row.strings[pred.region] = panel.regions().get(r);
                row.doubles[pred.observed] = fold.observed()[i];
                row.doubles[pred.trend] = fold.trend()[i];
                row.doubles[pred.predicted] = fold.predicted()[i];
                row.doubles[pred.anomaly] = fold.anomaly()[i];
                row.doubles[pred.weight] = weights.weight(r, year);
                for (int s = 0; s < references.size(); s++) {
                    for (int k = 0; k < pred.references[s].length; k++) {
                        row.doubles[pred.references[s][k]] = fold.references()[s][k][i];
                    }
                }
                predTable.write();
            }
            row.strings[pred.level] = "national";
            row.strings[pred.region] = Names.NATIONAL;
            row.doubles[pred.observed] = fold.nationalObserved();
            row.doubles[pred.trend] = fold.nationalTrend();
            row.doubles[pred.predicted] = fold.nationalPredicted();
            row.doubles[pred.anomaly] = fold.nationalPredicted() - fold.nationalTrend();
            row.doubles[pred.weight] = Double.NaN;
            for (int d = 0; d < initDates.size(); d++) {
                row.doubles[pred.initDates[d]] = initDates.get(d).lastNational;
            }
            for (int s = 0; s < references.size(); s++) {
                for (int k = 0; k < pred.references[s].length; k++) {
                    row.doubles[pred.references[s][k]] = fold.nationalReferences()[s][k];
                }
            }
            predTable.write();
        }

        /** The fold's metrics, step = its test year. */
        StageMetrics foldMetrics(FoldPrediction fold, FittedModel model) {
            int year = fold.year();
            StageMetrics metrics = new StageMetrics(context.clock())
                    .skill("fold.model.regions", fold.modelSkill(), year)
                    .skill("fold.trend.regions", fold.trendSkill(), year)
                    .addUnlessNaN("fold.model.regions.nrmse", fold.modelAccumulator().nrmse(), year)
                    .addUnlessNaN("fold.trend.regions.nrmse", fold.trendAccumulator().nrmse(), year);
            double observed = fold.nationalObserved();
            if (!Double.isNaN(observed)) {
                metrics.add("fold.model.national.error", fold.nationalPredicted() - observed, year)
                        .add("fold.trend.national.error", fold.nationalTrend() - observed, year)
                        .absPctError("fold.model.national", fold.nationalPredicted(), observed, year)
                        .absPctError("fold.trend.national", fold.nationalTrend(), observed, year);
            }
            if (context.settings().regression() == org.cropcast.pipeline.config.Regression.AUTO) {
                metrics.add("fold.auto.gbt_chosen", model.trees().isPresent() ? 1 : 0, year)
                        .add("fold.auto.trend_chosen", model.regression() == org.cropcast.pipeline.config.Regression.NONE ? 1 : 0, year);
                if (model.regression() == org.cropcast.pipeline.config.Regression.RIDGE) {
                    metrics.add("fold.auto.ridge_alpha", model.ridgeAlpha(), year);
                }
            }
            return metrics.add("fold.train_rows", model.trainingRows(), year);
        }

        /** The fold's standardised anomaly coefficients, as rows of reports/coefficients.csv (none for trees). */
        void addCoefficients(StageSettings.Fold fold, FittedModel model) {
            if (model.trees().isPresent()) {
                return;
            }
            for (int f = 0; f < model.beta().length; f++) {
                coefficients.append(fold.key()).append(',').append(SkillTable.csvText(model.featureNames().get(f))).append(',')
                        .append(model.beta()[f]).append('\n');
            }
        }

        /**
         * Draws reports/folds/{test_year}/detrend.png in the background, then copies and logs it: the
         * largest producers, or without production or area the regions the fold got most wrong.
         */
        void submitFoldPlot(StageSettings.Fold fold, FittedModel model, FoldPrediction prediction, List<Integer> top) {
            int year = fold.testYear();
            double[] predictedByRegion = prediction.predictedByRegion();
            String relative = "reports/folds/" + fold.key() + "/detrend.png";
            Path png = outputs.scratch(relative);
            List<Integer> shown = top;
            String selection = "largest producers";
            if (weights.basis() == NationalWeights.Basis.EQUAL) {
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

        /** The run's metrics, tags, skill table and summary plot, from the accumulated skill. */
        void finish() {
            String weighting = weights.basis().name().toLowerCase(java.util.Locale.ROOT) + "-weighted";
            context.run().logMetrics(summaryMetrics().list());
            java.util.Map<String, String> tags = new java.util.HashMap<>(java.util.Map.of("hindcast.national_weighting", weighting,
                    "hindcast.cv_scheme", settings.cvScheme().configName()));
            if (context.settings().regression() == org.cropcast.pipeline.config.Regression.AUTO) {
                List<String> parts = new ArrayList<>(List.of("all features: " + choices(choices, settings.folds().size())));
                initDates.forEach(init -> parts.add(init.key + ": " + choices(init.choices, settings.folds().size())));
                tags.put("hindcast.auto.choices", String.join("; ", parts));
            }
            context.run().setTags(tags);
            outputs.write("reports/skill_table.csv", out -> out.write(table.csv()));
            for (InitDate init : initDates) {
                outputs.write("reports/init/" + init.key + "/skill_table.csv", out -> out.write(init.table.csv()));
            }
            outputs.write("reports/coefficients.csv", out -> out.write(coefficients.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            writeSummaryPlot(weighting);
        }

        /** The run's skill metrics (step 0), filling the skill table with the same rows. */
        StageMetrics summaryMetrics() {
            StageMetrics metrics = new StageMetrics(context.clock());
            addRow(table, metrics, "model", "regions", skill.modelAll.skill(), skill.modelNrmse, "model.regions");
            addRow(table, metrics, "trend", "regions", skill.trendAll.skill(), skill.trendNrmse, "trend.regions");
            addRow(table, metrics, "model", "national", skill.modelNational.skill(), null, "model.national");
            addRow(table, metrics, "trend", "national", skill.trendNational.skill(), null, "trend.national");
            for (InitDate init : initDates) {
                String prefix = "init." + init.key + ".";
                addRow(init.table, metrics, "model", "regions", init.modelAll.skill(), init.modelNrmse, prefix + "model.regions");
                addRow(init.table, metrics, "trend", "regions", skill.trendAll.skill(), skill.trendNrmse, prefix + "trend.regions");
                addRow(init.table, metrics, "model", "national", init.modelNational.skill(), null, prefix + "model.national");
                addRow(init.table, metrics, "trend", "national", skill.trendNational.skill(), null, prefix + "trend.national");
                metrics.add(prefix + "features_observable", init.observable(panel), 0);
                if (context.settings().regression() == org.cropcast.pipeline.config.Regression.AUTO) {
                    int trendFolds = 0;
                    int ridgeFolds = 0;
                    int gbtFolds = 0;
                    for (java.util.Map.Entry<String, Integer> e : init.choices.entrySet()) {
                        if (e.getKey().startsWith("ridge")) {
                            ridgeFolds += e.getValue();
                        } else if (e.getKey().startsWith("gbt")) {
                            gbtFolds += e.getValue();
                        } else {
                            trendFolds += e.getValue();
                        }
                    }
                    metrics.add(prefix + "auto.trend_folds", trendFolds, 0).add(prefix + "auto.ridge_folds", ridgeFolds, 0)
                            .add(prefix + "auto.gbt_folds", gbtFolds, 0);
                }
            }
            metrics.add("hindcast.test_cells_missing_features", skill.testCellsMissingFeatures, 0);
            for (int r : regions) {
                String key = Names.metricSegment(panel.regions().get(r));
                metrics.skill("model.region." + key, skill.modelRegion[r].skill(), 0);
                metrics.skill("trend.region." + key, skill.trendRegion[r].skill(), 0);
            }
            for (int s = 0; s < references.size(); s++) {
                ReferenceTable reference = references.get(s);
                for (int k = 0; k < reference.issues().size(); k++) {
                    String key = "ref." + Names.metricSegment(reference.name()) + "." + Names.metricSegment(reference.issues().get(k));
                    String[] keys = {key, key + ".model", key + ".trend"};
                    String[] scopes = {"regions", "national"};
                    Skill.Accumulator[][][][] sources = {skill.refRegions, skill.refNational};
                    for (int scope = 0; scope < 2; scope++) {
                        Skill[] skills = new Skill[3];
                        for (int j = 0; j < 3; j++) {
                            skills[j] = sources[scope][s][k][j].skill();
                            metrics.skillWithCount(keys[j] + "." + scopes[scope], skills[j], 0);
                        }
                        table.addComparison(reference.name(), reference.issues().get(k), scopes[scope], skills[0], skills[1], skills[2]);
                    }
                }
            }
            return metrics.add("hindcast.folds", skill.years.size(), 0).add("hindcast.regions", regions.length, 0);
        }

        /** reports/hindcast_summary.png: national series by test year and a region-year scatter. */
        void writeSummaryPlot(String weighting) {
            int years = skill.years.size();
            double[] x = new double[years];
            double[][] national = new double[3][years];
            for (int i = 0; i < years; i++) {
                x[i] = skill.years.get(i);
                for (int j = 0; j < 3; j++) {
                    national[j][i] = skill.national.get(i)[j];
                }
            }
            // at most SCATTER_POINTS region-years in the scatter (every k-th, deterministic)
            int count = skill.count;
            int stride = Math.max(1, (count + SCATTER_POINTS - 1) / SCATTER_POINTS);
            double[] regionObserved = new double[(count + stride - 1) / stride];
            double[] regionPredicted = new double[regionObserved.length];
            for (int i = 0, j = 0; i < count; i += stride, j++) {
                regionObserved[j] = skill.observed[i];
                regionPredicted[j] = skill.predicted[i];
            }
            Path png = outputs.scratch("reports/hindcast_summary.png");
            HindcastPlots.summary(png, x, national[0], national[1], national[2], regionObserved, regionPredicted, unit, weighting);
            outputs.copy(png, "reports/hindcast_summary.png");
        }

        private static void addRow(SkillTable table, StageMetrics metrics, String source, String scope, Skill skill,
                NormalizedRmse nrmse, String key) {
            double normalized = nrmse == null ? Double.NaN : nrmse.median();
            table.add(source, scope, skill, normalized);
            metrics.skillWithCount(key, skill, 0).addUnlessNaN(key + ".nrmse", normalized, 0);
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
        final int[] initDates;

        PredColumns(List<ReferenceTable> tables, List<InitDate> dates) {
            initDates = new int[dates.size()];
            for (int d = 0; d < dates.size(); d++) {
                initDates[d] = schema.real(Names.column("predicted_init_" + dates.get(d).key));
            }
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
