package org.cropcast.pipeline.report;

import static org.cropcast.pipeline.report.SkillTable.DECIMALS;
import static org.cropcast.pipeline.report.SkillTable.num;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * {@code report/hindcast.html}: one self-contained page (styles and charts inline, nothing fetched)
 * with the skill tables (one set per init date when the run has {@code init.<MM-DD>.} metrics),
 * the national series by year, the error by year and by region (a region-by-year heat map), the
 * model's coefficients and links to the fold plots. Every number in a table is a metric of the run,
 * printed with the decimals of the terminal's skill table; the series and the heat map are the
 * run's {@code datasets/pred.parquet}.
 */
public final class HindcastReport {
    /** The link from {@code report/hindcast.html} to an artifact of the same run. */
    static final String UP = "../";

    private HindcastReport() {}

    public static String render(ReportInputs run) {
        String unit = run.unit();
        Document doc = Html.page("Hindcast: " + run.experimentName());
        Element body = doc.body();
        header(body, run);
        List<String> inits = SkillMetrics.initDates(run.metrics());
        List<String> prefixes = inits.isEmpty() ? List.of("") : inits.stream().map(SkillMetrics::prefix).toList();

        Element skill = Html.section(body, "skill", "Skill");
        Html.paragraph(skill, "Against the final observed values, over every fold's test year. RMSE, MAE and bias in the target's "
                + "unit, MAPE in percent; the metrics of the run, with the terminal's decimals.");
        for (int i = 0; i < prefixes.size(); i++) {
            Element at = skill;
            if (!inits.isEmpty()) {
                at = skill.appendElement("div").attr("id", "skill-" + inits.get(i));
                at.appendElement("h3").text("Init date " + inits.get(i));
            }
            skillTables(at, run, prefixes.get(i));
        }

        Map<String, String> referenceLabels = referenceLabels(run, prefixes.get(prefixes.size() - 1));
        Element series = Html.section(body, "national", "National series by year");
        nationalSeries(series, run, referenceLabels, unit);

        Element errors = Html.section(body, "errors-by-year", "Error by year");
        for (int i = 0; i < prefixes.size(); i++) {
            errorByYear(errors, run, prefixes.get(i), inits.isEmpty() ? "" : inits.get(i));
        }

        Element regions = Html.section(body, "errors-by-region", "Error by region");
        for (String prefix : prefixes) {
            errorByRegion(regions, run, prefix);
        }
        heatMap(regions, run);

        Element coefficients = Html.section(body, "coefficients", "Model coefficients");
        coefficients(coefficients, run);

        Element links = Html.section(body, "fold-plots", "Fold plots and files");
        links(links, run);
        return doc.outerHtml();
    }

    static void header(Element body, ReportInputs run) {
        body.appendElement("p").addClass("meta").text("Run " + run.runId() + (run.runName().isEmpty() ? "" : " (" + run.runName() + ")")
                + ", stage " + run.stage() + ", experiment " + run.experimentName());
        List<String> settings = new ArrayList<>();
        for (String key : List.of("detrend", "regression", "feature_start_year", "feature_end_year", "data_root")) {
            String value = run.params().get(key);
            if (value != null) {
                settings.add(key + " " + value);
            }
        }
        for (String key : List.of("hindcast.cv_scheme", "hindcast.national_weighting")) {
            String value = run.tags().get(key);
            if (value != null) {
                settings.add(key.substring(key.indexOf('.') + 1) + " " + value);
            }
        }
        double folds = run.metric("hindcast.folds");
        double regions = run.metric("hindcast.regions");
        if (!Double.isNaN(folds)) {
            settings.add(String.format(Locale.ROOT, "%d folds, %d regions", (long) folds, (long) regions));
        }
        if (!settings.isEmpty()) {
            body.appendElement("p").addClass("meta").text(String.join("; ", settings));
        }
    }

    private static void skillTables(Element parent, ReportInputs run, String prefix) {
        Element overall = Html.table(parent, "skill", "Overall", List.of("source", "scope", "n", "RMSE", "MAE", "MAPE%", "bias", "R2", "nRMSE%"));
        overall.attr("data-prefix", prefix);
        for (SkillMetrics.Row row : SkillMetrics.overall(run, prefix)) {
            List<String> cells = new ArrayList<>(List.of(row.source(), row.scope(), count(row.n())));
            for (int i = 0; i < SkillMetrics.STATS.size(); i++) {
                cells.add(num(row.stats()[i], SkillMetrics.decimals(SkillMetrics.STATS.get(i))));
            }
            Html.row(overall, 2, cells).attr("data-key", prefix + row.source() + "." + row.scope());
        }
        List<SkillMetrics.Comparison> comparisons = new ArrayList<>(SkillMetrics.comparisons(run, prefix));
        // in the configuration's order (pred.parquet's columns), as the terminal prints them
        List<String> columns = run.predictions().map(Table::columns).orElse(List.of());
        comparisons.sort(java.util.Comparator.comparingInt((SkillMetrics.Comparison c) -> {
            int at = columns.indexOf(Names.column("ref_" + c.reference() + "_" + c.issue()));
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        if (comparisons.isEmpty()) {
            Html.paragraph(parent, "No reference estimates are configured.");
            return;
        }
        Element table = Html.table(parent, "references",
                "RMSE against the final values on the region-years (or years) where the reference has an estimate",
                List.of("reference", "issue", "scope", "n", "reference", "model", "trend", "model beats reference"));
        for (SkillMetrics.Comparison c : comparisons) {
            Element tr = Html.row(table, 3, List.of(c.reference(), c.issue(), c.scope(), count(c.n()), num(c.referenceRmse(), DECIMALS),
                    num(c.modelRmse(), DECIMALS), num(c.trendRmse(), DECIMALS), SkillTable.beats(c.n(), c.modelRmse(), c.referenceRmse())));
            tr.attr("data-key", prefix + "ref." + c.reference() + "." + c.issue() + "." + c.scope());
        }
    }

    /** pred.parquet column of each reference issue, to its label ("SPEC issue"). */
    static Map<String, String> referenceLabels(ReportInputs run, String prefix) {
        Map<String, String> fromMetrics = new LinkedHashMap<>();
        for (SkillMetrics.Comparison c : SkillMetrics.comparisons(run, prefix)) {
            fromMetrics.putIfAbsent(Names.column("ref_" + c.reference() + "_" + c.issue()), c.reference() + " " + c.issue());
        }
        if (run.predictions().isEmpty()) {
            return fromMetrics;
        }
        // in the configuration's order, as pred.parquet has the columns
        Map<String, String> labels = new LinkedHashMap<>();
        run.predictions().get().columns().stream().filter(col -> col.startsWith("ref_"))
                .forEach(col -> labels.put(col, fromMetrics.getOrDefault(col, col.substring(4))));
        return labels;
    }

    private static void nationalSeries(Element parent, ReportInputs run, Map<String, String> references, String unit) {
        if (run.predictions().isEmpty()) {
            Html.paragraph(parent, "The run has no datasets/pred.parquet.");
            return;
        }
        List<Map<String, Object>> national = run.predictions().get().rows().stream()
                .filter(row -> "national".equals(Table.text(row, "level"))).toList();
        int n = national.size();
        double[] years = new double[n];
        double[] observed = new double[n];
        double[] model = new double[n];
        double[] trend = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = national.get(i);
            years[i] = Table.number(row, "year");
            observed[i] = Table.number(row, "observed");
            model[i] = Table.number(row, "predicted");
            trend[i] = Table.number(row, "trend");
        }
        List<Charts.Series> series = new ArrayList<>(List.of(
                new Charts.Series("observed", years, observed, true, Html.BLACK),
                new Charts.Series("model", years, model, true, Html.BLUE),
                new Charts.Series("trend", years, trend, true, Html.ORANGE)));
        int k = 0;
        for (Map.Entry<String, String> reference : references.entrySet()) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = Table.number(national.get(i), reference.getKey());
            }
            series.add(new Charts.Series(reference.getValue(), years, values, false, Html.REFERENCES.get(k++ % Html.REFERENCES.size())));
        }
        String yTitle = unit.isEmpty() ? "yield" : "yield (" + unit + ")";
        byte[] png = Charts.png("", List.of(new Charts.Panel("National yield by test year", "year", yTitle, series)), 1, true, 600, 380);
        Element pair = Html.pair(parent);
        Html.image(pair.appendElement("div"), png, "National observed, model, trend and reference yield by test year").attr("id", "chart-national");
        List<String> headers = new ArrayList<>(List.of("year", "observed", "model", "trend"));
        headers.addAll(references.values());
        Element table = Html.table(pair, "national", "National yield by test year (datasets/pred.parquet)", headers);
        for (Map<String, Object> row : national) {
            List<String> cells = new ArrayList<>(List.of(Table.text(row, "year"), num(Table.number(row, "observed"), DECIMALS),
                    num(Table.number(row, "predicted"), DECIMALS), num(Table.number(row, "trend"), DECIMALS)));
            for (String column : references.keySet()) {
                cells.add(num(Table.number(row, column), DECIMALS));
            }
            Html.row(table, 1, cells);
        }
    }

    private static void errorByYear(Element parent, ReportInputs run, String prefix, String initDate) {
        NavigableMap<Long, Double> model = run.history(prefix + "fold.model.national.error");
        NavigableMap<Long, Double> trend = run.history(prefix + "fold.trend.national.error");
        NavigableMap<Long, Double> modelRegions = run.history(prefix + "fold.model.regions.rmse");
        NavigableMap<Long, Double> trendRegions = run.history(prefix + "fold.trend.regions.rmse");
        TreeSet<Long> years = new TreeSet<>();
        years.addAll(model.keySet());
        years.addAll(modelRegions.keySet());
        if (years.isEmpty()) {
            Html.paragraph(parent, "The run has no per-fold metrics" + (initDate.isEmpty() ? "" : " at init date " + initDate) + ".");
            return;
        }
        double[] x = years.stream().mapToDouble(Long::doubleValue).toArray();
        List<Charts.Panel> panels = List.of(
                new Charts.Panel("National error (predicted - observed)", "test year", "error", List.of(
                        new Charts.Series("model", x, values(model, years), true, Html.BLUE),
                        new Charts.Series("trend", x, values(trend, years), true, Html.ORANGE),
                        new Charts.Series("zero", new double[] {x[0], x[x.length - 1]}, new double[] {0, 0}, true, Color.GRAY))),
                new Charts.Panel("Regional RMSE by test year", "test year", "RMSE", List.of(
                        new Charts.Series("model", x, values(modelRegions, years), true, Html.BLUE),
                        new Charts.Series("trend", x, values(trendRegions, years), true, Html.ORANGE))));
        if (!initDate.isEmpty()) {
            parent.appendElement("h3").text("Init date " + initDate);
        }
        Element pair = Html.pair(parent);
        Html.image(pair.appendElement("div"), Charts.png("", panels, 1, true, 600, 260), "National error and regional RMSE by test year")
                .addClass("errors-by-year");
        Element table = Html.table(pair, "errors-by-year", "By test year (metrics " + prefix + "fold.*, step = test year)",
                List.of("test year", "model national error", "trend national error", "model regions RMSE", "trend regions RMSE"));
        for (long year : years) {
            Html.row(table, 1, List.of(Long.toString(year), num(get(model, year), DECIMALS), num(get(trend, year), DECIMALS),
                    num(get(modelRegions, year), DECIMALS), num(get(trendRegions, year), DECIMALS))).attr("data-step", Long.toString(year));
        }
    }

    private static void errorByRegion(Element parent, ReportInputs run, String prefix) {
        Map<String, String> names = new TreeMap<>();
        String marker = prefix + "model.region.";
        for (String key : run.metrics().keySet()) {
            if (key.startsWith(marker) && key.endsWith(".rmse")) {
                String segment = key.substring(marker.length(), key.length() - ".rmse".length());
                names.put(segment, segment);
            }
        }
        run.predictions().ifPresent(table -> table.rows().stream().filter(row -> "region".equals(Table.text(row, "level")))
                .map(row -> Table.text(row, "region")).distinct()
                .forEach(region -> names.computeIfPresent(Names.metricSegment(region), (segment, old) -> region)));
        if (names.isEmpty()) {
            Html.paragraph(parent, "The run has no per-region metrics.");
            return;
        }
        Element table = Html.table(parent, "errors-by-region", "By region, over the test years (metrics "
                + prefix + "model.region.*, " + prefix + "trend.region.*)",
                List.of("region", "model RMSE", "trend RMSE", "model bias", "model MAPE%", "model beats trend"));
        for (Map.Entry<String, String> region : names.entrySet()) {
            String key = region.getKey();
            double modelRmse = run.metric(prefix + "model.region." + key + ".rmse");
            double trendRmse = run.metric(prefix + "trend.region." + key + ".rmse");
            Html.row(table, 1, List.of(region.getValue(), num(modelRmse, DECIMALS), num(trendRmse, DECIMALS),
                    num(run.metric(prefix + "model.region." + key + ".bias"), DECIMALS),
                    num(run.metric(prefix + "model.region." + key + ".mape"), SkillTable.PERCENT_DECIMALS),
                    Double.isNaN(modelRmse) || Double.isNaN(trendRmse) ? "-" : modelRmse < trendRmse ? "yes" : "no"))
                    .attr("data-key", prefix + "model.region." + key);
        }
    }

    /** Regions down, test years across, the model's error (predicted - observed) of each region-year from pred.parquet. */
    private static void heatMap(Element parent, ReportInputs run) {
        if (run.predictions().isEmpty()) {
            return;
        }
        Map<String, Map<Long, Double>> errors = new TreeMap<>();
        TreeSet<Long> years = new TreeSet<>();
        List<Double> magnitudes = new ArrayList<>();
        for (Map<String, Object> row : run.predictions().get().rows()) {
            if (!"region".equals(Table.text(row, "level"))) {
                continue;
            }
            long year = (long) Table.number(row, "year");
            double error = Table.number(row, "predicted") - Table.number(row, "observed");
            years.add(year);
            errors.computeIfAbsent(Table.text(row, "region"), r -> new TreeMap<>()).put(year, error);
            if (!Double.isNaN(error)) {
                magnitudes.add(Math.abs(error));
            }
        }
        // the colours span the 95th percentile of |error|: a few outliers do not wash out the rest
        java.util.Collections.sort(magnitudes);
        double scale = magnitudes.isEmpty() ? 0 : magnitudes.get((int) Math.floor(0.95 * (magnitudes.size() - 1)));
        boolean clipped = !magnitudes.isEmpty() && magnitudes.get(magnitudes.size() - 1) > scale;
        parent.appendElement("h3").text("Model error by region and test year (predicted - observed)");
        Element legend = parent.appendElement("p").addClass("legend");
        legend.appendElement("span").addClass("swatch").attr("style", "background:" + Html.hex(Html.diverging(-scale, scale)));
        legend.appendText(" " + (clipped ? "\u2264 " : "") + num(-scale, DECIMALS) + " (under-predicted)  ");
        legend.appendElement("span").addClass("swatch").attr("style", "background:#ffffff");
        legend.appendText(" 0  ");
        legend.appendElement("span").addClass("swatch").attr("style", "background:" + Html.hex(Html.diverging(scale, scale)));
        legend.appendText(" " + (clipped ? "\u2265 " : "") + num(scale, DECIMALS) + " (over-predicted)"
                + (clipped ? ", the 95th percentile of |error|" : "") + "; grey: no observation. Each cell shows the error to "
                + (scale >= 10 ? "one decimal" : "two decimals") + "; hover for three.");
        List<String> headers = new ArrayList<>(List.of("region"));
        years.forEach(year -> headers.add(Long.toString(year)));
        Element table = Html.table(parent, "heat", "", headers);
        table.attr("id", "heatmap");
        int shortDecimals = scale >= 10 ? 1 : 2;
        for (Map.Entry<String, Map<Long, Double>> region : errors.entrySet()) {
            Element tr = table.selectFirst("tbody").appendElement("tr");
            tr.appendElement("th").attr("scope", "row").text(region.getKey());
            for (long year : years) {
                double error = region.getValue().getOrDefault(year, Double.NaN);
                Color background = Html.diverging(error, scale);
                tr.appendElement("td").attr("style", "background:" + Html.hex(background) + ";color:" + Html.textOn(background))
                        .attr("title", region.getKey() + " " + year + ": " + num(error, DECIMALS))
                        .text(Double.isNaN(error) ? "" : num(error, shortDecimals));
            }
        }
    }

    private static void coefficients(Element parent, ReportInputs run) {
        if ("gbt".equals(run.params().get("regression"))) {
            Html.paragraph(parent, "No coefficients: the regression is gbt (gradient-boosted trees of the anomaly), which has none.");
            return;
        }
        if (run.coefficients().isEmpty() || run.coefficients().get().rows().isEmpty()) {
            Html.paragraph(parent, "No coefficients: the regression is " + run.params().getOrDefault("regression", "not recorded")
                    + " (the prediction is the trend plus nothing), or the run has no reports/coefficients.csv.");
            return;
        }
        Table table = run.coefficients().get();
        String valueColumn = table.columns().get(table.columns().size() - 1);
        Map<String, List<Double>> byFeature = new LinkedHashMap<>();
        for (Map<String, Object> row : table.rows()) {
            byFeature.computeIfAbsent(Table.text(row, "feature"), f -> new ArrayList<>()).add(Table.number(row, valueColumn));
        }
        record Summary(String feature, double mean, double min, double max, int folds) {}
        List<Summary> summaries = new ArrayList<>();
        double largest = 0;
        for (Map.Entry<String, List<Double>> feature : byFeature.entrySet()) {
            double[] values = feature.getValue().stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
            double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
            summaries.add(new Summary(feature.getKey(), mean, java.util.Arrays.stream(values).min().orElse(Double.NaN),
                    java.util.Arrays.stream(values).max().orElse(Double.NaN), values.length));
            if (!Double.isNaN(mean)) {
                largest = Math.max(largest, Math.abs(mean));
            }
        }
        summaries.sort(java.util.Comparator.comparingDouble((Summary s) -> Double.isNaN(s.mean()) ? 0 : -Math.abs(s.mean())));
        Html.paragraph(parent, "The anomaly regression's " + valueColumn.replace('_', ' ') + " per feature (the change of the "
                + "predicted anomaly, in the target's unit, for one standard deviation of the feature), over the folds; "
                + "largest first. Bars: blue positive, vermillion negative.");
        Element out = Html.table(parent, "coefficients", "", List.of("feature", "mean", "min", "max", "folds", ""));
        double scale = largest;
        for (Summary s : summaries) {
            Element tr = Html.row(out, 1, List.of(s.feature(), num(s.mean(), DECIMALS), num(s.min(), DECIMALS), num(s.max(), DECIMALS),
                    Integer.toString(s.folds()), ""));
            int width = scale <= 0 || Double.isNaN(s.mean()) ? 0 : (int) Math.round(160 * Math.abs(s.mean()) / scale);
            tr.child(tr.childrenSize() - 1).removeClass("num").appendElement("span").addClass("bar")
                    .attr("style", "width:" + width + "px;background:" + Html.hex(s.mean() < 0 ? Html.VERMILLION : Html.BLUE));
        }
    }

    private static void links(Element parent, ReportInputs run) {
        List<String> folds = run.artifacts().stream().filter(path -> path.startsWith("reports/folds/") && path.endsWith(".png"))
                .sorted().toList();
        List<String> others = run.artifacts().stream().filter(path -> path.equals("reports/hindcast_summary.png")
                || path.equals("reports/skill_table.csv") || path.equals("reports/coefficients.csv")
                || path.startsWith("datasets/") && path.endsWith(".parquet")).sorted().toList();
        Html.paragraph(parent, "Artifacts of this run, relative to this file (in the run directory, or as downloaded by "
                + "cropcast runs report).");
        Element list = parent.appendElement("ul").addClass("links");
        for (String path : folds) {
            String[] parts = path.split("/");
            String label = parts.length >= 4 ? "fold " + parts[2] : path;
            list.appendElement("li").appendElement("a").attr("href", UP + path).text(label);
        }
        Element files = parent.appendElement("ul").addClass("links");
        for (String path : others) {
            files.appendElement("li").appendElement("a").attr("href", UP + path).text(path);
        }
    }

    static String count(double n) {
        return Double.isNaN(n) ? "-" : Long.toString((long) n);
    }

    private static double[] values(NavigableMap<Long, Double> history, TreeSet<Long> steps) {
        return steps.stream().mapToDouble(step -> get(history, step)).toArray();
    }

    private static double get(NavigableMap<Long, Double> history, long step) {
        Double value = history.get(step);
        return value == null ? Double.NaN : value;
    }
}
