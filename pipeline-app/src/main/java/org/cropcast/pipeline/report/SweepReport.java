package org.cropcast.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * {@code report/sweep.html}: a sweep's ranking, from its {@code sweep/ranking.csv} (the children
 * by the sweep's metric, lower first): rank, the combination's settings, status, the metric with a
 * bar, and the child run. The best combination and the result are the parent's tags.
 */
public final class SweepReport {
    /** The ranking's columns that are not settings of the combination. */
    private static final List<String> FIXED = List.of("rank", "index", "status", "run_id", "run_dir", "error");

    private SweepReport() {}

    public static String render(ReportInputs run, String metric) {
        Document doc = Html.page("Sweep: " + run.experimentName());
        Element body = doc.body();
        HindcastReport.header(body, run);
        for (String tag : List.of("cropcast.sweep.result", "cropcast.sweep.best")) {
            String value = run.tags().get(tag);
            if (value != null) {
                body.appendElement("p").addClass("meta").text(tag.substring("cropcast.sweep.".length()) + ": " + value);
            }
        }
        Element section = Html.section(body, "ranking", "Ranking by " + metric + " (lower is better)");
        if (run.predictions().isEmpty()) {
            Html.paragraph(section, "The sweep has no sweep/ranking.csv yet.");
            return doc.outerHtml();
        }
        Table ranking = run.predictions().get();
        List<String> settings = ranking.columns().stream().filter(c -> !FIXED.contains(c) && !c.equals(metric)).toList();
        List<String> headers = new ArrayList<>(List.of("rank"));
        headers.addAll(settings);
        headers.addAll(List.of("status", metric, "", "run"));
        double largest = 0;
        for (Map<String, Object> row : ranking.rows()) {
            double value = Table.number(row, metric);
            if (!Double.isNaN(value)) {
                largest = Math.max(largest, Math.abs(value));
            }
        }
        Element table = Html.table(section, "ranking", "sweep/ranking.csv", headers);
        for (Map<String, Object> row : ranking.rows()) {
            String rank = Table.text(row, "rank");
            List<String> cells = new ArrayList<>(List.of(rank.isEmpty() ? "-" : rank));
            settings.forEach(s -> cells.add(Table.text(row, s)));
            double value = Table.number(row, metric);
            // as the terminal's ranking prints it
            cells.addAll(List.of(Table.text(row, "status"), Double.isNaN(value) ? "-" : Numbers.significant(value), "",
                    Table.text(row, "run_id")));
            Element tr = Html.row(table, cells.size(), cells);
            tr.child(1 + settings.size() + 1).addClass("num");
            int width = largest <= 0 || Double.isNaN(value) ? 0 : (int) Math.round(200 * Math.abs(value) / largest);
            tr.child(tr.childrenSize() - 2).appendElement("span").addClass("bar")
                    .attr("style", "width:" + width + "px;background:" + Html.hex(Html.BLUE));
            String error = Table.text(row, "error");
            if (!error.isEmpty()) {
                tr.attr("title", error);
            }
        }
        return doc.outerHtml();
    }
}
