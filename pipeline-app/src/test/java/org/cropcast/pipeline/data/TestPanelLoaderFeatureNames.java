package org.cropcast.pipeline.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig.FeatureSpec;
import org.cropcast.pipeline.config.PipelineConfig.TargetSpec;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PanelLoader#featureNames} (what a forecast checks a model against before its run exists)
 * gives exactly the names the loaded panel has, for the wide and long layouts with squared terms;
 * {@link TableReader#requireColumns} reads the header only and names a missing column.
 */
class TestPanelLoaderFeatureNames {
    @TempDir
    Path dir;

    private static final TargetSpec TARGET = new TargetSpec("target.csv", "region", "year", "yield", null, null, null, null, null);

    @Test
    void wideWithSquaresMatchesTheLoadedPanel() throws Exception {
        Files.writeString(dir.resolve("target.csv"), "region,year,yield\na,2000,1.0\na,2001,1.1\nb,2000,2.0\n");
        Files.writeString(dir.resolve("wide.csv"), "region,year,gdd,precip,unused\na,2000,1,2,0\na,2001,3,4,0\nb,2000,5,6,0\n");
        FeatureSpec spec = new FeatureSpec("wide.csv", null, "region", "year", null, List.of("gdd", "precip"), null, null,
                Map.of("gdd", 7), List.of("precip"));
        List<String> loaded = PanelLoader.load(TARGET, Optional.of(spec), name -> dir.resolve(name)).featureNames();
        assertThat(PanelLoader.featureNames(spec)).isEqualTo(loaded).containsExactly("gdd", "precip", "precip_sq");
        assertThat(PanelLoader.featureColumns(spec)).containsExactly("region", "year", "gdd", "precip");
    }

    @Test
    void longWithSquaresMatchesTheLoadedPanel() throws Exception {
        Files.writeString(dir.resolve("target.csv"), "region,year,yield\na,2000,1.0\nb,2000,2.0\n");
        Files.writeString(dir.resolve("long.csv"),
                "region,year,month,tmax,rain\na,2000,6,30,1\na,2000,7,31,2\nb,2000,6,29,3\nb,2000,7,28,4\n");
        FeatureSpec spec = new FeatureSpec("long.csv", "long", "region", "year", "month", List.of("tmax", "rain"), List.of(6, 7),
                null, null, List.of("tmax"));
        List<String> loaded = PanelLoader.load(TARGET, Optional.of(spec), name -> dir.resolve(name)).featureNames();
        assertThat(PanelLoader.featureNames(spec)).isEqualTo(loaded)
                .containsExactly("tmax_m06", "tmax_m07", "rain_m06", "rain_m07", "tmax_m06_sq", "tmax_m07_sq");
        assertThat(PanelLoader.featureColumns(spec)).containsExactly("region", "year", "month", "tmax", "rain");
    }

    @Test
    void requireColumnsNamesTheMissingColumnFromTheHeader() throws Exception {
        Path file = dir.resolve("features.csv");
        Files.writeString(file, "\uFEFFregion,year,gdd\na,2000,not-a-number-is-not-read\n");
        TableReader.requireColumns(file, "features.csv", List.of("region", "year", "gdd"));
        assertThatThrownBy(() -> TableReader.requireColumns(file, "features.csv", List.of("region", "precip")))
                .isInstanceOf(CropcastException.class)
                .hasMessage("features.csv: column 'precip' not found (columns: region, year, gdd)")
                .extracting(e -> ((CropcastException) e).errorCode()).isEqualTo(PipelineErrorCode.MISSING_COLUMN);
    }
}
