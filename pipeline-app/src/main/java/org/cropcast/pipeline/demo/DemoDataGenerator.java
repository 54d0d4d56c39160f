package org.cropcast.pipeline.demo;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a self-contained, deterministic demo data root (synthetic but realistic region x year
 * panel, features, a reference spec) with its config.
 *
 * <p>The planted signal, which a hindcast should recover (see {@code DemoSignalRecoveryTest}):
 * for region r and year Y, {@code yield = base_r + slope_r * (Y - 2000) / 10 + sum_f c_f * (x_f - mu_f) + e},
 * with {@code e ~ N(0, NOISE_SD)}, the features {@code x_f} the June-August mean temperature and
 * precipitation ({@code t2m_mean_c_m06..08}, {@code precip_mm_per_day_m06..08}), drawn as
 * {@code mu_f + sd_f * N(0, 1)} independently per region-year, and the coefficients
 * {@link #COEFFICIENTS} per unit of the feature. Other months are noise the model does not use.
 * A survey reference ({@code DEMO-SURVEY}, issues 1-3) estimates each yield with error shrinking
 * from 0.6 to 0.15 t/ha.
 */
public final class DemoDataGenerator {
    public static final int FIRST_YEAR = 1991;
    public static final int LAST_YEAR = 2022;
    public static final int REGIONS = 24;
    public static final double NOISE_SD = 0.12;
    /** Planted feature names, in the order the config pivots them. */
    public static final List<String> FEATURES = List.of("t2m_mean_c_m06", "t2m_mean_c_m07", "t2m_mean_c_m08",
            "precip_mm_per_day_m06", "precip_mm_per_day_m07", "precip_mm_per_day_m08");
    /** Planted effect per unit of each feature (t/ha per degree C, per mm/day). */
    public static final double[] COEFFICIENTS = {-0.05, -0.12, -0.08, 0.10, 0.25, 0.15};
    private static final double[] TEMPERATURE_MEAN = {8, 11, 15, 18, 21, 24, 26, 25, 22, 17, 12, 9};
    private static final double TEMPERATURE_SD = 1.5;
    private static final double[] PRECIP_MEAN = {3, 3, 3.5, 3.5, 3.2, 3.0, 2.8, 2.6, 2.5, 2.5, 2.8, 3.0};
    private static final double PRECIP_SD = 0.8;
    private static final double[] SURVEY_SD = {0.6, 0.35, 0.15};

    private DemoDataGenerator() {}

    /** The planted base yield of region index r (0-based), t/ha. */
    public static double base(int region) {
        return 2.4 + 0.05 * region;
    }

    /** The planted trend slope of region index r, t/ha per decade. */
    public static double slope(int region) {
        return 0.25 + 0.02 * (region % 7);
    }

    public static String regionName(int region) {
        return String.format(Locale.ROOT, "R%02d", region + 1);
    }

    /** Writes the data root into {@code directory} and returns the path of its config file. */
    public static Path write(Path directory, long seed) {
        try {
            Files.createDirectories(directory.resolve("data"));
            SplittableRandom random = new SplittableRandom(seed);
            CsvMapper csv = new CsvMapper();
            int years = LAST_YEAR - FIRST_YEAR + 1;
            double[][] yield = new double[REGIONS][years];
            try (Writer panelOut = Files.newBufferedWriter(directory.resolve("data/panel.csv"), StandardCharsets.UTF_8);
                    Writer featureOut = Files.newBufferedWriter(directory.resolve("data/weather_monthly.csv"), StandardCharsets.UTF_8);
                    SequenceWriter panel = csv.writer().writeValues(panelOut);
                    SequenceWriter features = csv.writer().writeValues(featureOut)) {
                panel.write(List.of("region", "year", "yield_t_ha", "area_kha", "production_kt"));
                features.write(List.of("region", "year", "month", "t2m_mean_c", "precip_mm_per_day"));
                for (int r = 0; r < REGIONS; r++) {
                    double area = 40 + 460 * Math.pow(random.nextDouble(), 2);
                    for (int y = 0; y < years; y++) {
                        int year = FIRST_YEAR + y;
                        double value = base(r) + slope(r) * (year - 2000) / 10.0 + NOISE_SD * gaussian(random);
                        for (int month = 1; month <= 12; month++) {
                            double t = TEMPERATURE_MEAN[month - 1] + TEMPERATURE_SD * gaussian(random);
                            double pr = Math.max(0, PRECIP_MEAN[month - 1] + PRECIP_SD * gaussian(random));
                            if (month >= 6 && month <= 8) {
                                value += COEFFICIENTS[month - 6] * (t - TEMPERATURE_MEAN[month - 1]);
                                value += COEFFICIENTS[month - 3] * (pr - PRECIP_MEAN[month - 1]);
                            }
                            features.write(List.of(regionName(r), year, month, round(t, 3), round(pr, 4)));
                        }
                        yield[r][y] = value;
                        double yearArea = area * (1 + 0.01 * (year - FIRST_YEAR));
                        panel.write(List.of(regionName(r), year, round(value, 5), round(yearArea, 3),
                                round(yearArea * value, 3)));
                    }
                }
            }
            try (Writer surveyOut = Files.newBufferedWriter(directory.resolve("data/survey.csv"), StandardCharsets.UTF_8);
                    SequenceWriter survey = csv.writer().writeValues(surveyOut)) {
                survey.write(List.of("region", "year", "issue", "yield_estimate"));
                for (int r = 0; r < REGIONS; r++) {
                    for (int y = years - 12; y < years; y++) {
                        for (int issue = 0; issue < SURVEY_SD.length; issue++) {
                            survey.write(List.of(regionName(r), FIRST_YEAR + y, issue + 1,
                                    round(yield[r][y] + SURVEY_SD[issue] * gaussian(random), 3)));
                        }
                    }
                }
            }
            Path config = directory.resolve("cropcast-demo.yaml");
            Files.writeString(config, config(seed), StandardCharsets.UTF_8);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo data root in " + directory, e);
        }
    }

    private static String config(long seed) {
        return """
                # cropcast demo: synthetic, deterministic data (see DemoDataGenerator for the planted signal).
                # Run:  cropcast run hindcast --config cropcast-demo.yaml
                experiment_name: cropcast-demo
                random_seed: %d
                data_root: .            # relative to this file
                feature_start_year: %d
                feature_end_year: %d
                detrend: linear
                regression: ridge
                ridge_alpha: 1.0
                production_cumulative_threshold: 0.9
                cv_scheme: leave_one_year_out
                min_train_years: 5
                target:
                  path: data/panel.csv
                  region_column: region
                  year_column: year
                  yield_column: yield_t_ha
                  area_column: area_kha
                  production_column: production_kt
                  unit: t/ha
                features:
                  path: data/weather_monthly.csv
                  layout: long
                  region_column: region
                  year_column: year
                  period_column: month
                  variables: [t2m_mean_c, precip_mm_per_day]
                  periods: [6, 7, 8]
                reference_data:
                  - name: DEMO-SURVEY
                    path: data/survey.csv
                    layout: long
                    region_column: region
                    year_column: year
                    issue_column: issue
                    value_column: yield_estimate
                """.formatted(seed, FIRST_YEAR, LAST_YEAR);
    }

    private static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
