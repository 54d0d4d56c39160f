package org.cropcast.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hindcast's skill tables read back from its metrics: the keys {@code HindcastStage} logs
 * ({@code model.regions.rmse}, {@code ref.<spec>.<issue>.model.national.rmse}, ...), optionally
 * under an init-date prefix {@code init.<MM-DD>.}.
 */
public final class SkillMetrics {
    /** The columns of a skill row, in the terminal table's order, with its decimals. */
    public static final List<String> STATS = List.of("rmse", "mae", "mape", "bias", "r2");
    public static final List<String> SCOPES = List.of("regions", "national");
    private static final Pattern INIT = Pattern.compile("^init\\.(\\d\\d-\\d\\d)\\.(model|trend)\\.(regions|national)\\.rmse$");
    private static final Pattern REF = Pattern.compile("^ref\\.([^.]+)\\.([^.]+)\\.(regions|national)\\.n$");

    private SkillMetrics() {}

    /** One row of the overall table: n and the five statistics (NaN where the run logged none). */
    public record Row(String source, String scope, double n, double[] stats) {}

    /** One reference issue against the model and the trend on its region-years (or years). */
    public record Comparison(String reference, String issue, String scope, double n, double referenceRmse,
            double modelRmse, double trendRmse) {}

    /** The init dates (MM-DD) the run has metrics for, in order; empty for a hindcast without init dates. */
    public static List<String> initDates(Map<String, Double> metrics) {
        TreeSet<String> dates = new TreeSet<>();
        for (String key : metrics.keySet()) {
            Matcher m = INIT.matcher(key);
            if (m.matches()) {
                dates.add(m.group(1));
            }
        }
        return List.copyOf(dates);
    }

    /** The metric key prefix of an init date ("" for none). */
    public static String prefix(String initDate) {
        return initDate.isEmpty() ? "" : "init." + initDate + ".";
    }

    /** model and trend, regions and national: the rows the terminal's overall table prints. */
    public static List<Row> overall(ReportInputs run, String prefix) {
        List<Row> rows = new ArrayList<>();
        for (String scope : SCOPES) {
            for (String source : List.of("model", "trend")) {
                String key = prefix + source + "." + scope;
                if (!run.metrics().containsKey(key + ".n") && !run.metrics().containsKey(key + ".rmse")) {
                    continue;
                }
                rows.add(new Row(source, scope, run.metric(key + ".n"), stats(run, key)));
            }
        }
        // the terminal prints model/trend regions, then model/trend national
        return rows;
    }

    /** One comparison per reference issue and scope, in the order of the keys (reference, issue, scope). */
    public static List<Comparison> comparisons(ReportInputs run, String prefix) {
        List<Comparison> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        for (String key : run.metrics().keySet()) {
            if (key.startsWith(prefix) && REF.matcher(key.substring(prefix.length())).matches()) {
                keys.add(key.substring(prefix.length()));
            }
        }
        List<String> ordered = new ArrayList<>(keys);
        // regions before national within one issue, as the terminal prints them
        ordered.sort(java.util.Comparator.comparing((String k) -> k.substring(0, k.lastIndexOf('.', k.length() - 3)))
                .thenComparing(k -> k.endsWith(".regions.n") ? 0 : 1));
        for (String key : ordered) {
            Matcher m = REF.matcher(key);
            if (!m.matches()) {
                continue;
            }
            String base = prefix + "ref." + m.group(1) + "." + m.group(2);
            String scope = m.group(3);
            out.add(new Comparison(m.group(1), m.group(2), scope, run.metric(base + "." + scope + ".n"),
                    run.metric(base + "." + scope + ".rmse"), run.metric(base + ".model." + scope + ".rmse"),
                    run.metric(base + ".trend." + scope + ".rmse")));
        }
        return out;
    }

    /** The five statistics under {@code key} ({@code key.rmse}, ...). */
    public static double[] stats(ReportInputs run, String key) {
        double[] values = new double[STATS.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = run.metric(key + "." + STATS.get(i));
        }
        return values;
    }

    /** The decimals the terminal prints for a statistic: MAPE two, the others three. */
    public static int decimals(String stat) {
        return stat.equals("mape") ? SkillTable.PERCENT_DECIMALS : SkillTable.DECIMALS;
    }
}
