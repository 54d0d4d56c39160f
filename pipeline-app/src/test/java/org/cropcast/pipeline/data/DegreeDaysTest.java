package org.cropcast.pipeline.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig.DailySpec;
import org.cropcast.pipeline.config.PipelineConfig.FeatureSpec;
import org.cropcast.pipeline.config.PipelineConfig.TargetSpec;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Growing degree days per month from a small daily file written here (no daily file exists in the shared data). */
class DegreeDaysTest {
    @TempDir
    Path dir;

    @Test
    void oneDayIsTheMeanOfTheTemperaturesClampedToBaseAndCapLessTheBase() {
        assertThat(DegreeDays.of(12, 28, 10, 30)).isEqualTo(10.0);
        assertThat(DegreeDays.of(5, 35, 10, 30)).as("tmin raised to the base, tmax cut at the cap").isEqualTo(10.0);
        assertThat(DegreeDays.of(2, 8, 10, 30)).as("a cold day adds nothing").isEqualTo(0.0);
        assertThat(DegreeDays.of(31, 40, 10, 30)).isEqualTo(20.0);
    }

    private Panel load(String daily, List<String> squared) throws IOException {
        Files.writeString(dir.resolve("panel.csv"), "region,year,yield\nA,2001,10\nA,2002,11\nB,2001,9\nB,2002,9.5\n");
        Files.writeString(dir.resolve("wide.csv"), "region,year,soil\nA,2001,1\nA,2002,2\nB,2001,3\nB,2002,4\n");
        Files.writeString(dir.resolve("daily.csv"), daily);
        TargetSpec target = new TargetSpec("panel.csv", "region", "year", "yield", null, null, null, null, "t/ha");
        DailySpec spec = new DailySpec("daily.csv", "region", "date", "tmin", "tmax", 10.0, 30.0, List.of(5, 6), "gdd");
        FeatureSpec features = new FeatureSpec("wide.csv", "wide", "region", "year", null, List.of("soil"), null, null, null, squared,
                spec);
        Panel panel = PanelLoader.load(target, Optional.of(features), dir::resolve);
        assertThat(PanelLoader.featureNames(features)).as("the names a forecast checks a saved model against")
                .isEqualTo(panel.featureNames());
        return panel;
    }

    private static String days(String region, LocalDate from, LocalDate until, double tmin, double tmax) {
        StringBuilder out = new StringBuilder();
        for (LocalDate d = from; d.isBefore(until); d = d.plusDays(1)) {
            out.append(region).append(',').append(d).append(',').append(tmin).append(',').append(tmax).append('\n');
        }
        return out.toString();
    }

    @Test
    void monthsAreSummedAndAMonthWithADayMissingIsMissing() throws IOException {
        String daily = "region,date,tmin,tmax\n"
                + days("A", LocalDate.of(2001, 4, 25), LocalDate.of(2001, 7, 5), 12, 28) // April and July days are not summed
                + days("B", LocalDate.of(2001, 5, 1), LocalDate.of(2001, 6, 30), 5, 35) // 30 June missing
                + "B,2001-06-30,,31\n" // a day without tmin is a missing day
                + days("Z", LocalDate.of(2001, 5, 1), LocalDate.of(2001, 6, 1), 12, 28); // not a target region
        Panel panel = load(daily, List.of("gdd"));
        assertThat(panel.featureNames()).containsExactly("soil", "gdd_m05", "gdd_m06", "gdd_m05_sq", "gdd_m06_sq");
        assertThat(panel.featurePeriods()).containsExactly(0, 5, 6, 5, 6);
        int p = panel.featureCount();
        int a2001 = panel.cell(panel.regions().indexOf("A"), 2001);
        int b2001 = panel.cell(panel.regions().indexOf("B"), 2001);
        assertThat(panel.features()[a2001 * p + 1]).isEqualTo(310.0);
        assertThat(panel.features()[a2001 * p + 2]).isEqualTo(300.0);
        assertThat(panel.features()[a2001 * p + 3]).isEqualTo(310.0 * 310.0);
        assertThat(panel.features()[b2001 * p + 1]).isEqualTo(310.0);
        assertThat(panel.features()[b2001 * p + 2]).as("June lacks a day").isNaN();
        assertThat(panel.features()[panel.cell(panel.regions().indexOf("A"), 2002) * p + 1]).as("no day of 2002").isNaN();
        assertThat(panel.features()[a2001 * p]).isEqualTo(1.0);
    }

    @Test
    void aRepeatedDayOrABadDateIsNamed() throws IOException {
        assertThatThrownBy(() -> load("region,date,tmin,tmax\nA,2001-05-01,12,28\nA,2001-05-01,13,29\n", null))
                .isInstanceOf(CropcastException.class)
                .hasMessage("daily.csv: row 2 repeats region 'A', date 2001-05-01 (columns 'region', 'date')")
                .extracting(e -> ((CropcastException) e).errorCode()).isEqualTo(PipelineErrorCode.DUPLICATE_ROW);
        assertThatThrownBy(() -> load("region,date,tmin,tmax\nA,01/05/2001,12,28\n", null))
                .hasMessage("daily.csv: column 'date', row 1: '01/05/2001' is not an ISO date (yyyy-mm-dd)");
        assertThatThrownBy(() -> load("region,date,tmin,tmax\nA,2001-05-01,29,12\n", null))
                .hasMessageContaining("daily.csv: row 1: 'tmin' 29.0 is above 'tmax' 12.0");
    }
}
