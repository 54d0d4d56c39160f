package org.cropcast.pipeline.stages;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic data root for the benchmarks: {@code regions x years} panel with area
 * and production, long-form monthly features ({@code variables x 12 months}, all pivoted), and a
 * config. Usage: {@code SyntheticBenchPanel <dir> <regions> <years> <variables> [fit_dataset_features]}.
 * With 2 variables the config has 24 features.
 */
public final class SyntheticBenchPanel {
    private SyntheticBenchPanel() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int regions = Integer.parseInt(args[1]);
        int years = Integer.parseInt(args[2]);
        int variables = Integer.parseInt(args[3]);
        String fitFeatures = args.length > 4 ? args[4] : "false";
        Files.createDirectories(dir.resolve("data"));
        SplittableRandom random = new SplittableRandom(17);
        int first = 2025 - years;
        double[] coefficient = new double[variables * 12];
        for (int i = 0; i < coefficient.length; i++) {
            coefficient[i] = random.nextGaussian() * 0.05;
        }
        try (BufferedWriter panel = Files.newBufferedWriter(dir.resolve("data/panel.csv"), StandardCharsets.UTF_8);
                BufferedWriter features = Files.newBufferedWriter(dir.resolve("data/features_long.csv"), StandardCharsets.UTF_8)) {
            panel.write("region,year,yield,area,production\n");
            features.write("region,year,month");
            for (int v = 0; v < variables; v++) {
                features.write(",v" + v);
            }
            features.write('\n');
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < regions; r++) {
                String region = String.format(Locale.ROOT, "R%05d", r);
                double area = 10 + 1000 * random.nextDouble();
                for (int y = 0; y < years; y++) {
                    double value = 3 + 0.03 * y + 0.3 * random.nextGaussian();
                    for (int month = 1; month <= 12; month++) {
                        line.setLength(0);
                        line.append(region).append(',').append(first + y).append(',').append(month);
                        for (int v = 0; v < variables; v++) {
                            double x = random.nextGaussian();
                            value += coefficient[v * 12 + month - 1] * x;
                            line.append(',').append(String.format(Locale.ROOT, "%.4f", x));
                        }
                        features.append(line).append('\n');
                    }
                    panel.write(String.format(Locale.ROOT, "%s,%d,%.4f,%.2f,%.2f%n", region, first + y, value, area, area * value));
                }
            }
        }
        StringBuilder vars = new StringBuilder();
        for (int v = 0; v < variables; v++) {
            vars.append(v == 0 ? "" : ", ").append("v").append(v);
        }
        Files.writeString(dir.resolve("bench.yaml"), """
                experiment_name: bench-synthetic
                data_root: .
                feature_start_year: %d
                feature_end_year: %d
                detrend: linear
                regression: ridge
                ridge_alpha: 1.0
                production_cumulative_threshold: 1.0
                cv_scheme: leave_one_year_out
                fit_dataset_features: %s
                target:
                  path: data/panel.csv
                  area_column: area
                  production_column: production
                  unit: t/ha
                features:
                  path: data/features_long.csv
                  layout: long
                  period_column: month
                  variables: [%s]
                  periods: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
                """.formatted(first, first + years - 1, fitFeatures, vars), StandardCharsets.UTF_8);
    }
}
