package org.cropcast.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.junit.jupiter.api.Test;

class TestSweepGrid {
    @Test
    void combinationsAreTheCartesianProductFirstKeySlowest() {
        SweepGrid grid = SweepGrid.parse(List.of("detrend=linear,quadratic", "regression = ols, ridge ,none"));
        assertThat(grid.combinations()).extracting(SweepGrid.Combination::settings).containsExactly(
                Map.of("detrend", "linear", "regression", "ols"), Map.of("detrend", "linear", "regression", "ridge"),
                Map.of("detrend", "linear", "regression", "none"), Map.of("detrend", "quadratic", "regression", "ols"),
                Map.of("detrend", "quadratic", "regression", "ridge"), Map.of("detrend", "quadratic", "regression", "none"));
        SweepGrid.Combination fifth = grid.combinations().get(4);
        assertThat(fifth.index()).isEqualTo(5);
        assertThat(fifth.overrides()).containsExactly("detrend=quadratic", "regression=ridge");
        assertThat(fifth.describe()).isEqualTo("detrend=quadratic, regression=ridge");
        assertThat(grid.describe()).isEqualTo("detrend=linear,quadratic;regression=ols,ridge,none");
        assertThat(SweepGrid.parse(grid.specs())).isEqualTo(grid);
    }

    @Test
    void directoryNamesArePaddedAndSafe() {
        SweepGrid grid = SweepGrid.parse(List.of("features.path=data/a b.csv,c.csv", "ridge_alpha=0.1,1,2,3,4,5"));
        assertThat(grid.combinations().get(0).directoryName(12)).isEqualTo("01-features.path=data_a_b.csv_ridge_alpha=0.1");
        assertThat(grid.combinations().get(11).label(12)).isEqualTo("12");
    }

    @Test
    void badGridsAreRejectedNamingTheCulprit() {
        assertInvalid(List.of(), "at least one --grid");
        assertInvalid(List.of("detrend"), "--grid 'detrend': expected KEY=V1,V2");
        assertInvalid(List.of("=a,b"), "expected KEY=V1,V2");
        assertInvalid(List.of("detrend=linear,"), "empty value");
        assertInvalid(List.of("detrend=linear,linear"), "value 'linear' is given twice");
        assertInvalid(List.of("detrend=linear", "detrend=none"), "names 'detrend' twice");
        assertInvalid(List.of("a=1,2,3,4,5,6,7,8,9,10", "b=1,2,3,4,5,6,7,8,9,10", "c=1,2,3,4,5,6,7,8,9,10", "d=1,2,3,4,5,6,7,8,9,10,11"),
                "more than 10000 combinations");
    }

    @Test
    void rankingIsByMetricLowerFirstThenTheUnfinished() {
        SweepGrid grid = SweepGrid.parse(List.of("detrend=a,b,c,d"));
        List<SweepGrid.Combination> c = grid.combinations();
        var finishedHigh = child(c.get(0), org.cropcast.tracking.RunStatus.FINISHED, 2.0);
        var failed = child(c.get(1), org.cropcast.tracking.RunStatus.FAILED, 0.5);
        var finishedLow = child(c.get(2), org.cropcast.tracking.RunStatus.FINISHED, 1.0);
        var noMetric = child(c.get(3), org.cropcast.tracking.RunStatus.FINISHED, Double.NaN);
        assertThat(SweepLauncher.rank(List.of(finishedHigh, failed, finishedLow, noMetric)))
                .containsExactly(finishedLow, finishedHigh, failed, noMetric);
    }

    private static SweepLauncher.Child child(SweepGrid.Combination c, org.cropcast.tracking.RunStatus status, double metric) {
        return new SweepLauncher.Child(c, org.cropcast.tracking.Location.of("/tmp/x" + c.index()), java.util.Optional.empty(),
                java.util.Optional.of(status), metric, "", false);
    }

    private static void assertInvalid(List<String> specs, String message) {
        assertThatThrownBy(() -> SweepGrid.parse(specs)).isInstanceOfSatisfying(CropcastException.class,
                e -> assertThat(e.errorCode()).isEqualTo(AppErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
