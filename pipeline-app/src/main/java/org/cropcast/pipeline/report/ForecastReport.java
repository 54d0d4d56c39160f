package org.cropcast.pipeline.report;

import static org.cropcast.pipeline.report.SkillTable.DECIMALS;
import static org.cropcast.pipeline.report.SkillTable.num;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * {@code report/forecast.html}: the forecasts of every init date of a forecast run, nationally and
 * by region, beside the trend and the reference issues. National numbers are the run's metrics
 * (step = init date as yyyymmdd); regional ones are its {@code forecasts/<init_date>/forecast.parquet}.
 */
public final class ForecastReport {
    private ForecastReport() {}

    public static String render(ReportInputs run) {
        Document doc = Html.page("Forecast: " + run.experimentName());
        Element body = doc.body();
        HindcastReport.header(body, run);
        Table forecasts = run.predictions().orElse(new Table(List.of(), List.of()));
        Map<String, String> references = new LinkedHashMap<>();
        forecasts.columns().stream().filter(c -> c.startsWith("ref_")).forEach(c -> references.put(c, c.substring(4)));

        TreeMap<Long, LocalDate> inits = new TreeMap<>();
        for (Long step : run.history("forecast.national.predicted").keySet()) {
            try {
                inits.put(step, LocalDate.parse(Long.toString(step), DateTimeFormatter.BASIC_ISO_DATE));
            } catch (java.time.format.DateTimeParseException e) {
                // not an init-date step: not a forecast of this stage
            }
        }
        Element national = Html.section(body, "national", "National forecast by init date");
        if (inits.isEmpty()) {
            Html.paragraph(national, "The run has no forecast.national.predicted metric yet.");
            return doc.outerHtml();
        }
        Map<String, Map<String, Object>> nationalRows = new LinkedHashMap<>();
        for (Map<String, Object> row : forecasts.rows()) {
            if ("national".equals(Table.text(row, "level"))) {
                nationalRows.put(Table.text(row, "init_date"), row);
            }
        }
        List<String> headers = new ArrayList<>(List.of("init date", "target year", "forecast", "trend", "observed", "error",
                "features observable"));
        headers.addAll(references.values());
        Element table = Html.table(national, "forecast-national", "National (metrics forecast.national.*, step = init date)", headers);
        TreeMap<Integer, List<Long>> byYear = new TreeMap<>();
        for (Map.Entry<Long, LocalDate> init : inits.entrySet()) {
            long step = init.getKey();
            byYear.computeIfAbsent(init.getValue().getYear(), y -> new ArrayList<>()).add(step);
            Map<String, Object> row = nationalRows.getOrDefault(init.getValue().toString(), Map.of());
            List<String> cells = new ArrayList<>(List.of(init.getValue().toString(), Integer.toString(init.getValue().getYear()),
                    num(at(run, "forecast.national.predicted", step), DECIMALS), num(at(run, "forecast.national.trend", step), DECIMALS),
                    num(at(run, "forecast.national.observed", step), DECIMALS), num(at(run, "forecast.national.error", step), DECIMALS),
                    HindcastReport.count(at(run, "forecast.features_observable", step))
                            + (row.containsKey("features_total") ? " of " + Table.text(row, "features_total") : "")));
            for (String column : references.keySet()) {
                cells.add(num(Table.number(row, column), DECIMALS));
            }
            Html.row(table, 1, cells).attr("data-step", Long.toString(step));
        }
        for (Map.Entry<Integer, List<Long>> year : byYear.entrySet()) {
            chart(national, run, year.getKey(), year.getValue(), inits, nationalRows, references);
        }

        Element regions = Html.section(body, "regions", "Regional forecasts by init date");
        for (int year : byYear.keySet()) {
            regionalTable(regions, forecasts, year, references);
        }
        return doc.outerHtml();
    }

    private static void chart(Element parent, ReportInputs run, int year, List<Long> steps, Map<Long, LocalDate> inits,
            Map<String, Map<String, Object>> nationalRows, Map<String, String> references) {
        int n = steps.size();
        double[] x = new double[n];
        double[] forecast = new double[n];
        double[] trend = new double[n];
        double[] observed = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = inits.get(steps.get(i)).getDayOfYear();
            forecast[i] = at(run, "forecast.national.predicted", steps.get(i));
            trend[i] = at(run, "forecast.national.trend", steps.get(i));
            observed[i] = at(run, "forecast.national.observed", steps.get(i));
        }
        List<Charts.Series> series = new ArrayList<>(List.of(
                new Charts.Series("forecast", x, forecast, n > 1, Html.BLUE),
                new Charts.Series("trend", x, trend, n > 1, Html.ORANGE),
                new Charts.Series("observed", x, observed, n > 1, Html.BLACK)));
        int k = 0;
        for (Map.Entry<String, String> reference : references.entrySet()) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = Table.number(nationalRows.getOrDefault(inits.get(steps.get(i)).toString(), Map.of()), reference.getKey());
            }
            series.add(new Charts.Series(reference.getValue(), x, values, false, Html.REFERENCES.get(k++ % Html.REFERENCES.size())));
        }
        byte[] png = Charts.png("", List.of(new Charts.Panel("National forecast for " + year + " by init date", "init date (day of year)",
                run.unit().isEmpty() ? "yield" : "yield (" + run.unit() + ")", series)), 1, true, 900, 340);
        Html.image(parent, png, "National forecast for " + year + " by init date, beside the trend and the reference issues")
                .addClass("forecast-chart");
    }

    private static void regionalTable(Element parent, Table forecasts, int year, Map<String, String> references) {
        TreeSet<String> dates = new TreeSet<>();
        Map<String, Map<String, Map<String, Object>>> byRegion = new TreeMap<>();
        for (Map<String, Object> row : forecasts.rows()) {
            if (!"region".equals(Table.text(row, "level")) || (int) Table.number(row, "target_year") != year) {
                continue;
            }
            String date = Table.text(row, "init_date");
            dates.add(date);
            byRegion.computeIfAbsent(Table.text(row, "region"), r -> new TreeMap<>()).put(date, row);
        }
        if (byRegion.isEmpty()) {
            Html.paragraph(parent, "No regional forecasts for " + year + ".");
            return;
        }
        List<String> headers = new ArrayList<>(List.of("region"));
        dates.forEach(date -> headers.add("forecast " + date));
        headers.add("trend");
        headers.add("observed");
        headers.addAll(references.values());
        Element table = Html.table(parent, "forecast-regions", "Regions, target year " + year
                + " (forecasts/<init_date>/forecast.parquet; trend, observed and references of the latest init date)", headers);
        for (Map.Entry<String, Map<String, Map<String, Object>>> region : byRegion.entrySet()) {
            List<String> cells = new ArrayList<>(List.of(region.getKey()));
            for (String date : dates) {
                Map<String, Object> row = region.getValue().get(date);
                cells.add(row == null ? "-" : num(Table.number(row, "predicted"), DECIMALS));
            }
            Map<String, Object> latest = region.getValue().get(region.getValue().keySet().stream().reduce((a, b) -> b).orElseThrow());
            cells.add(num(Table.number(latest, "trend"), DECIMALS));
            cells.add(num(Table.number(latest, "observed"), DECIMALS));
            for (String column : references.keySet()) {
                cells.add(num(Table.number(latest, column), DECIMALS));
            }
            Html.row(table, 1, cells);
        }
    }

    private static double at(ReportInputs run, String key, long step) {
        Double value = run.history(key).get(step);
        return value == null ? Double.NaN : value;
    }
}
