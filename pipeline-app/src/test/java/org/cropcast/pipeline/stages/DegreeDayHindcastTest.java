package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.DegreeDays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Degree days from a daily file through the real hindcast, on a data root written here (the shared
 * data have no daily weather): the yield's anomaly is planted in July's growing degree days
 * (10/30 °C), June's are noise. At 08-01 July has ended and the model finds the signal; on 15 July
 * no day of July counts, so the model can do no better than June's noise allows.
 */
class DegreeDayHindcastTest {
    private static final int FIRST = 1995;
    private static final int LAST = 2020;
    private static final int REGIONS = 10;

    @TempDir
    Path temp;

    @Test
    void julyDegreeDaysHelpOnlyOnceJulyHasEnded() throws IOException {
        StageHarness harness = new StageHarness(temp.resolve("h"));
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder panel = new StringBuilder("region,year,yield\n");
        StringBuilder wide = new StringBuilder("region,year,soil\n");
        StringBuilder daily = new StringBuilder("region,date,tmin,tmax\n");
        for (int r = 0; r < REGIONS; r++) {
            for (int year = FIRST; year <= LAST; year++) {
                double july = 0;
                for (int month = 6; month <= 8; month++) {
                    double offset = 2.5 * random.nextGaussian();
                    for (int day = 1; day <= YearMonth.of(year, month).lengthOfMonth(); day++) {
                        double tmin = 14 + offset + random.nextGaussian();
                        double tmax = tmin + 11 + random.nextGaussian();
                        daily.append(String.format(Locale.ROOT, "S%d,%s,%.3f,%.3f%n", r, LocalDate.of(year, month, day), tmin, tmax));
                        if (month == 7) {
                            july += DegreeDays.of(Math.rint(tmin * 1000) / 1000, Math.rint(tmax * 1000) / 1000, 10, 30);
                        }
                    }
                }
                double yield = 100 + r + 1.5 * (year - FIRST) + 0.05 * (july - 300) + random.nextGaussian();
                panel.append(String.format(Locale.ROOT, "S%d,%d,%.4f%n", r, year, yield));
                wide.append(String.format(Locale.ROOT, "S%d,%d,%.4f%n", r, year, random.nextGaussian()));
            }
        }
        Files.writeString(harness.dataRoot.resolve("panel.csv"), panel);
        Files.writeString(harness.dataRoot.resolve("wide.csv"), wide);
        Files.writeString(harness.dataRoot.resolve("daily.csv"), daily);
        Path file = harness.root.resolve("config.yaml");
        Files.writeString(file, """
                experiment_name: degree-days
                feature_start_year: %d
                feature_end_year: %d
                regression: ridge
                init_dates: ["07-15", "08-01"]
                target: {path: panel.csv, unit: bu/acre}
                features:
                  path: wide.csv
                  layout: wide
                  variables: [soil]
                  daily: {path: daily.csv, periods: [6, 7, 8]}
                """.formatted(FIRST, LAST));
        PipelineConfig config = harness.config(file);
        assertThat(config.features().daily().base()).isEqualTo(10.0);
        assertThat(config.features().daily().cap()).isEqualTo(30.0);
        StageRun run = harness.run(new HindcastStage(), config);

        assertThat(run.stored().data().params()).containsEntry("hindcast/features.daily.path", "daily.csv")
                .containsEntry("hindcast/features.daily.degree_days", "gdd base 10.0 cap 30.0 months 6,7,8");
        assertThat(run.latest("init.07-15.features_observable")).as("soil and gdd_m06").isEqualTo(2);
        assertThat(run.latest("init.08-01.features_observable")).as("and gdd_m07").isEqualTo(3);
        double trend = run.latest("trend.regions.rmse");
        double july15 = run.latest("init.07-15.model.regions.rmse");
        double august1 = run.latest("init.08-01.model.regions.rmse");
        assertThat(august1).as("July's degree days are known on 1 August").isLessThan(0.6 * trend);
        assertThat(july15).as("on 15 July no day of July is used").isGreaterThan(0.9 * trend);
        assertThat(run.result().summaryLines()).contains("init date 08-01 (3 of 4 features observable):");
    }
}
