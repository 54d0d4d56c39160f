package org.cropcast.pipeline.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cropcast.pipeline.model.Skill;

/** The hindcast's skill table: one row per estimate source and scope, as aligned text and CSV. */
public final class SkillTable {
    /** One row: e.g. source "model", "trend", "NASS fcst_aug", "model on NASS fcst_aug". */
    public record Row(String source, String scope, Skill skill) {}

    private final List<Row> rows = new ArrayList<>();

    public void add(String source, String scope, Skill skill) {
        rows.add(new Row(source, scope, skill));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public List<String> lines() {
        int width = "source".length();
        for (Row row : rows) {
            width = Math.max(width, row.source().length());
        }
        String format = "%-" + width + "s  %-8s %5s %10s %10s %7s %10s %7s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, format, "source", "scope", "n", "RMSE", "MAE", "MAPE%", "bias", "R2"));
        for (Row row : rows) {
            Skill s = row.skill();
            lines.add(String.format(Locale.ROOT, format, row.source(), row.scope(), s.n(), num(s.rmse(), 3), num(s.mae(), 3),
                    num(s.mape(), 2), num(s.bias(), 3), num(s.r2(), 3)));
        }
        return lines;
    }

    public byte[] csv() {
        StringBuilder out = new StringBuilder("source,scope,n,rmse,mae,mape_pct,bias,r2\n");
        for (Row row : rows) {
            Skill s = row.skill();
            out.append(quote(row.source())).append(',').append(row.scope()).append(',').append(s.n()).append(',')
                    .append(cell(s.rmse())).append(',').append(cell(s.mae())).append(',').append(cell(s.mape())).append(',')
                    .append(cell(s.bias())).append(',').append(cell(s.r2())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String quote(String text) {
        return text.contains(",") || text.contains("\"") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String num(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
