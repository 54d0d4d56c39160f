package org.cropcast.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The hindcast report's renderer on inputs made here: names from outside are escaped, init dates get their own tables. */
class HindcastReportTest {
    private static final String SCRIPT = "<script>alert('experiment')</script>";
    private static final String REGION = "<img src=x onerror=alert('region')>";
    private static final String FEATURE = "\"><svg onload=alert('feature')>";

    @Test
    void namesFromTheDataCannotInjectMarkup() {
        Map<String, Double> metrics = new HashMap<>(skill("", 0.5));
        String segment = Names.metricSegment(REGION);
        metrics.put("model.region." + segment + ".rmse", 0.25);
        metrics.put("trend.region." + segment + ".rmse", 0.5);
        metrics.put("ref." + Names.metricSegment("</table><b>") + ".aug.regions.n", 3.0);
        metrics.put("ref." + Names.metricSegment("</table><b>") + ".aug.regions.rmse", 0.3);
        Document doc = Jsoup.parse(HindcastReport.render(inputs(SCRIPT, metrics, Map.of(), predictions(REGION), coefficients(FEATURE))));

        assertThat(doc.select("script, svg, [onerror], [onload], b")).isEmpty();
        assertThat(doc.title()).isEqualTo("Hindcast: " + SCRIPT);
        assertThat(doc.select("h1").text()).isEqualTo("Hindcast: " + SCRIPT);
        assertThat(doc.select("table.errors-by-region tbody th").eachText()).containsExactly(REGION);
        assertThat(doc.select("#heatmap tbody th").eachText()).containsExactly(REGION);
        assertThat(doc.select("#heatmap td").eachAttr("title")).containsExactly(REGION + " 2020: 0.100", REGION + " 2021: -0.200");
        assertThat(doc.select("table.coefficients tbody th").eachText()).containsExactly(FEATURE);
        assertThat(doc.select("table.references tbody th").eachText()).containsExactly(Names.metricSegment("</table><b>"));
    }

    @Test
    void oneSetOfSkillTablesPerInitDateWhenTheRunHasInitDateMetrics() {
        Map<String, Double> metrics = new HashMap<>();
        metrics.putAll(skill("init.07-01.", 0.7));
        metrics.putAll(skill("init.08-01.", 0.4));
        Map<String, NavigableMap<Long, Double>> histories = Map.of(
                "init.07-01.fold.model.national.error", new TreeMap<>(Map.of(2020L, 0.7, 2021L, -0.1)),
                "init.08-01.fold.model.national.error", new TreeMap<>(Map.of(2020L, 0.2, 2021L, -0.05)));
        Document doc = Jsoup.parse(HindcastReport.render(inputs("e", metrics, histories, predictions("R1"), Optional.empty())));

        assertThat(doc.select("#skill-07-01 h3").text()).isEqualTo("Init date 07-01");
        assertThat(doc.select("#skill-07-01 table.skill tbody tr[data-key=init.07-01.model.regions] td").eachText())
                .containsExactly("regions", "12", "0.700", "0.350", "5.00", "-0.014", "0.900");
        assertThat(doc.select("#skill-08-01 table.skill tbody tr[data-key=init.08-01.model.regions] td").eachText())
                .containsExactly("regions", "12", "0.400", "0.200", "5.00", "-0.014", "0.900");
        assertThat(doc.select("table.skill")).hasSize(2);
        assertThat(doc.select("table.errors-by-year")).hasSize(2);
        assertThat(doc.select("table.errors-by-year").get(1).select("tbody tr[data-step=2021] td").first().text()).isEqualTo("-0.050");
        assertThat(doc.select("#coefficients p").text()).contains("No coefficients");
    }

    @Test
    void withoutInitDatesOneSetOfTablesUnderTodaysKeys() {
        Document doc = Jsoup.parse(HindcastReport.render(inputs("e", skill("", 0.5), Map.of(), predictions("R1"), Optional.empty())));
        assertThat(doc.select("[id^=skill-]")).isEmpty();
        assertThat(doc.select("table.skill tbody tr").eachAttr("data-key")).containsExactly("model.regions", "trend.regions");
        assertThat(doc.select("p").eachText()).contains("No reference estimates are configured.");
    }

    private static Map<String, Double> skill(String prefix, double rmse) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String source : List.of("model", "trend")) {
            String key = prefix + source + ".regions";
            out.put(key + ".n", 12.0);
            out.put(key + ".rmse", rmse);
            out.put(key + ".mae", rmse / 2);
            out.put(key + ".mape", 5.0);
            out.put(key + ".bias", -0.0144);
            out.put(key + ".r2", 0.9);
        }
        return out;
    }

    private static Optional<Table> predictions(String region) {
        List<String> columns = List.of("fold", "level", "region", "year", "observed", "trend", "predicted");
        return Optional.of(new Table(columns, List.of(
                row(columns, 2020, "region", region, 2020, 1.0, 0.9, 1.1),
                row(columns, 2021, "region", region, 2021, 1.2, 1.1, 1.0),
                row(columns, 2020, "national", "NATIONAL", 2020, 1.0, 0.9, 1.1))));
    }

    private static Optional<Table> coefficients(String feature) {
        List<String> columns = List.of("fold", "feature", "standardised_coefficient");
        return Optional.of(new Table(columns, List.of(row(columns, "2020", feature, "0.5"), row(columns, "2021", feature, "0.7"))));
    }

    private static Map<String, Object> row(List<String> columns, Object... values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(columns.get(i), values[i]);
        }
        return row;
    }

    private static ReportInputs inputs(String experiment, Map<String, Double> metrics, Map<String, NavigableMap<Long, Double>> histories,
            Optional<Table> predictions, Optional<Table> coefficients) {
        return new ReportInputs("0123456789abcdef0123456789abcdef", "hindcast-x", experiment, "hindcast", "t/ha",
                Map.of("regression", "ridge"), Map.of(), metrics, histories, predictions, coefficients, List.of());
    }
}
