package org.cropcast.pipeline.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cropcast.pipeline.model.Skill;

/** The hindcast's skill table: one row per estimate source and scope, as aligned text and CSV. */
public final class SkillTable {
    /** Decimals of RMSE, MAE, bias and R2 in the terminal table (and the HTML report). */
    public static final int DECIMALS = 3;
    /** Decimals of MAPE (percent). */
    public static final int PERCENT_DECIMALS = 2;
    /** One row: e.g. source "model", "trend", "NASS fcst_aug", "model on NASS fcst_aug". */
    public record Row(String source, String scope, Skill skill, double nrmse) {}

    /** One reference issue against the model and the trend on the same region-years. */
    public record Comparison(String reference, String issue, String scope, Skill ref, Skill model, Skill trend) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<Row> overall = new ArrayList<>();
    private final List<Comparison> comparisons = new ArrayList<>();

    /**
     * An overall row (model or trend, regions or national).
     *
     * @param nrmse CY-Bench's nRMSE in percent (median over years), NaN where it does not apply
     */
    public void add(String source, String scope, Skill skill, double nrmse) {
        rows.add(new Row(source, scope, skill, nrmse));
        overall.add(new Row(source, scope, skill, nrmse));
    }

    /** A reference issue with the model and the trend on the same rows (three CSV rows). */
    public void addComparison(String reference, String issue, String scope, Skill ref, Skill model, Skill trend) {
        String label = reference + " " + issue;
        rows.add(new Row(label, scope, ref, Double.NaN));
        rows.add(new Row("model on " + label, scope, model, Double.NaN));
        rows.add(new Row("trend on " + label, scope, trend, Double.NaN));
        comparisons.add(new Comparison(reference, issue, scope, ref, model, trend));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The overall table, then one line per reference issue and scope comparing RMSEs. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        String format = "%-6s %-8s %6s %10s %10s %7s %10s %7s %7s";
        lines.add(String.format(Locale.ROOT, format, "source", "scope", "n", "RMSE", "MAE", "MAPE%", "bias", "R2", "nRMSE%"));
        for (Row row : overall) {
            Skill s = row.skill();
            lines.add(String.format(Locale.ROOT, format, row.source(), row.scope(), s.n(), num(s.rmse(), DECIMALS), num(s.mae(), DECIMALS),
                    num(s.mape(), PERCENT_DECIMALS), num(s.bias(), DECIMALS), num(s.r2(), DECIMALS), num(row.nrmse(), PERCENT_DECIMALS)));
        }
        if (comparisons.isEmpty()) {
            return lines;
        }
        int refWidth = "reference".length();
        int issueWidth = "issue".length();
        for (Comparison c : comparisons) {
            refWidth = Math.max(refWidth, c.reference().length());
            issueWidth = Math.max(issueWidth, c.issue().length());
        }
        String compare = "%-" + refWidth + "s %-" + issueWidth + "s %-8s %6s %10s %10s %10s  %s";
        lines.add("");
        lines.add("RMSE against the final values on the region-years (or years) where the reference has an estimate:");
        lines.add(String.format(Locale.ROOT, compare, "reference", "issue", "scope", "n", "reference", "model", "trend",
                "model beats reference"));
        for (Comparison c : comparisons) {
            lines.add(String.format(Locale.ROOT, compare, c.reference(), c.issue(), c.scope(), c.ref().n(), num(c.ref().rmse(), DECIMALS),
                    num(c.model().rmse(), DECIMALS), num(c.trend().rmse(), DECIMALS), beats(c.ref().n(), c.model().rmse(), c.ref().rmse())));
        }
        return lines;
    }

    /** The same tables in Markdown (pipe tables), for the run's description. */
    public List<String> markdown() {
        List<Markdown.Align> numbers = List.of(Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT,
                Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT);
        List<Markdown.Align> align = new ArrayList<>(List.of(Markdown.Align.LEFT, Markdown.Align.LEFT));
        align.addAll(numbers);
        List<List<String>> cells = new ArrayList<>();
        for (Row row : overall) {
            Skill s = row.skill();
            cells.add(List.of(row.source(), row.scope(), Long.toString(s.n()), num(s.rmse(), DECIMALS), num(s.mae(), DECIMALS),
                    num(s.mape(), PERCENT_DECIMALS), num(s.bias(), DECIMALS), num(s.r2(), DECIMALS), num(row.nrmse(), PERCENT_DECIMALS)));
        }
        List<String> lines = new ArrayList<>(Markdown.table(List.of("source", "scope", "n", "RMSE", "MAE", "MAPE%", "bias", "R2", "nRMSE%"),
                align, cells));
        if (comparisons.isEmpty()) {
            return lines;
        }
        lines.add("");
        lines.add(Markdown.text("RMSE against the final values on the region-years (or years) where the reference has an estimate:"));
        lines.add("");
        List<List<String>> compared = new ArrayList<>();
        for (Comparison c : comparisons) {
            compared.add(List.of(c.reference(), c.issue(), c.scope(), Long.toString(c.ref().n()), num(c.ref().rmse(), DECIMALS),
                    num(c.model().rmse(), DECIMALS), num(c.trend().rmse(), DECIMALS), beats(c.ref().n(), c.model().rmse(), c.ref().rmse())));
        }
        lines.addAll(Markdown.table(List.of("reference", "issue", "scope", "n", "reference RMSE", "model RMSE", "trend RMSE",
                "model beats reference"), List.of(Markdown.Align.LEFT, Markdown.Align.LEFT, Markdown.Align.LEFT, Markdown.Align.RIGHT,
                Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.RIGHT, Markdown.Align.LEFT), compared));
        return lines;
    }

    public byte[] csv() {
        StringBuilder out = new StringBuilder("source,scope,n,rmse,mae,mape_pct,bias,r2,nrmse_pct\n");
        for (Row row : rows) {
            Skill s = row.skill();
            out.append(csvText(row.source())).append(',').append(row.scope()).append(',').append(s.n()).append(',')
                    .append(cell(s.rmse())).append(',').append(cell(s.mae())).append(',').append(cell(s.mape())).append(',')
                    .append(cell(s.bias())).append(',').append(cell(s.r2())).append(',').append(cell(row.nrmse())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /** A CSV field: quoted when it holds a comma, a quote or a line break. */
    public static String csvText(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** The table's "model beats reference" cell: "-" when the reference has no estimate. */
    public static String beats(double n, double modelRmse, double referenceRmse) {
        return n == 0 ? "-" : modelRmse < referenceRmse ? "yes" : "no";
    }

    /** A number as the terminal table prints it: fixed decimals, "-" for NaN. */
    public static String num(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
