package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunScope;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunTags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad data is a one-line USER_INPUT error naming the file, the column and (where it
 * helps) the row, raised before anything is written to the run directory.
 */
class BadInputTest {
    @TempDir
    Path temp;
    StageHarness harness;

    @BeforeEach
    void setUp() throws IOException {
        harness = new StageHarness(temp);
        writePanel(harness.dataRoot.resolve("panel.csv"), List.of());
        StringBuilder features = new StringBuilder("region,year,rain,heat,rain_copy\n");
        for (String region : List.of("A", "B", "C")) {
            for (int year = 2000; year <= 2012; year++) {
                // rain_copy is exactly twice rain (both written with the digits they have)
                int rain = (int) Math.round(1000 * Math.sin(year * 1.3 + region.charAt(0)));
                features.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%d%n", region, year, rain,
                        Math.cos(year * 0.7 + region.charAt(0)), 2 * rain));
            }
        }
        Files.writeString(harness.dataRoot.resolve("features.csv"), features);
        Files.writeString(harness.dataRoot.resolve("survey.csv"), "region,year,issue,value\nA,2010,1,5.0\nB,2010,1,4.0\n");
    }

    private static void writePanel(Path file, List<String> extraRows) throws IOException {
        StringBuilder panel = new StringBuilder("region,year,yield,area,production\n");
        int i = 0;
        for (String region : List.of("A", "B", "C")) {
            i++;
            for (int year = 2000; year <= 2012; year++) {
                double value = 3 + 0.1 * (year - 2000) + 0.2 * Math.sin(year * 1.7 + i);
                panel.append(String.format(Locale.ROOT, "%s,%d,%.3f,%d,%.3f%n", region, year, value, 100 * i, 100 * i * value));
            }
        }
        extraRows.forEach(row -> panel.append(row).append('\n'));
        Files.writeString(file, panel);
    }

    private PipelineConfig config(String... overrides) throws IOException {
        Path file = temp.resolve("config.yaml");
        Files.writeString(file, """
                experiment_name: bad-input
                feature_start_year: 2000
                feature_end_year: 2012
                detrend: linear
                regression: ols
                production_cumulative_threshold: 1.0
                target:
                  path: panel.csv
                  area_column: area
                  production_column: production
                  unit: t/ha
                features:
                  path: features.csv
                  layout: wide
                  variables: [rain, heat]
                reference_data:
                  - name: SURVEY
                    path: survey.csv
                    issue_column: issue
                    value_column: value
                """);
        return harness.config(file, overrides);
    }

    private CropcastException fails(PipelineConfig config) {
        CropcastException e = catchThrowableOfType(CropcastException.class,
                () -> harness.run(new HindcastStage(), config));
        assertThat(e).as("expected a CropcastException").isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).doesNotContain("\n");
        // the run scope records the run before the stage starts; the stage itself wrote nothing
        assertThat(runDirectoryFiles()).as("nothing written to the run directory by the stage")
                .containsExactlyInAnyOrder(RunScope.CONFIG_FILE, RunScope.METADATA_FILE, RunRecord.fileName("hindcast"));
        StageRun failed = harness.lastRun();
        assertThat(failed.artifactFiles()).as("nothing logged by the stage")
                .containsExactlyInAnyOrder(RunScope.CONFIG_FILE, RunScope.METADATA_FILE);
        assertThat(failed.stored().info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.stored().data().tags().get(RunTags.ERROR)).contains(e.getMessage());
        return e;
    }

    private List<String> runDirectoryFiles() {
        try (Stream<Path> files = Files.walk(harness.runDirectory)) {
            return new ArrayList<>(files.filter(Files::isRegularFile)
                    .map(f -> harness.runDirectory.relativize(f).toString()).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theValidInputRuns() throws IOException {
        StageResult result = harness.run(new HindcastStage(), config()).result();
        assertThat(result.summaryLines()).isNotEmpty();
        assertThat(harness.runDirectory.resolve("datasets/pred.parquet")).exists();
    }

    @Test
    void missingColumn() throws IOException {
        CropcastException e = fails(config("target.yield_column=yld"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.MISSING_COLUMN);
        assertThat(e.getMessage()).startsWith("panel.csv: column 'yld' not found");
    }

    @Test
    void missingFeatureColumn() throws IOException {
        CropcastException e = fails(config("features.variables=[rain, wind]"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.MISSING_COLUMN);
        assertThat(e.getMessage()).startsWith("features.csv: column 'wind' not found");
    }

    @Test
    void duplicateRegionYear() throws IOException {
        writePanel(harness.dataRoot.resolve("panel.csv"), List.of("B,2005,3.0,200,600"));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.DUPLICATE_ROW);
        assertThat(e.getMessage()).contains("panel.csv", "rows 19 and 40", "region 'B', year 2005");
    }

    @Test
    void nonNumericValue() throws IOException {
        writePanel(harness.dataRoot.resolve("panel.csv"), List.of("D,2001,abc,10,10"));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.NON_NUMERIC_VALUE);
        assertThat(e.getMessage()).isEqualTo("panel.csv: column 'yield', row 40: 'abc' is not a number");
    }

    @Test
    void nonNumericYear() throws IOException {
        writePanel(harness.dataRoot.resolve("panel.csv"), List.of("D,20x1,3.0,10,10"));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.NON_NUMERIC_VALUE);
        assertThat(e.getMessage()).isEqualTo("panel.csv: column 'year', row 40: '20x1' is not an integer year");
    }

    @Test
    void yearsOutsideTheData() throws IOException {
        CropcastException e = fails(config("feature_end_year=2030"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.YEARS_OUTSIDE_DATA);
        assertThat(e.getMessage()).contains("panel.csv", "2000-2030", "2000-2012");
    }

    @Test
    void thresholdThatSelectsNothing() throws IOException {
        Files.writeString(harness.dataRoot.resolve("panel.csv"),
                Files.readString(harness.dataRoot.resolve("panel.csv")).replaceAll(",[0-9.]+\n", ",0\n"));
        CropcastException e = fails(config("production_cumulative_threshold=0.5"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.EMPTY_SELECTION);
        assertThat(e.getMessage()).contains("panel.csv", "production_cumulative_threshold 0.5", "selects no region");
    }

    @Test
    void tooFewTrainingYearsForTheDetrend() throws IOException {
        writePanel(harness.dataRoot.resolve("panel.csv"), List.of("D,2003,3.0,1000,3000", "D,2004,3.1,1000,3100",
                "D,2005,3.2,1000,3200"));
        CropcastException e = fails(config("detrend=quadratic", "regression=none"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.TOO_FEW_TRAINING_YEARS);
        assertThat(e.getMessage()).contains("panel.csv", "region 'D'", "detrend quadratic needs at least 4");
    }

    @Test
    void singularDesign() throws IOException {
        CropcastException e = fails(config("features.variables=[rain, heat, rain_copy]"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.SINGULAR_DESIGN);
        assertThat(e.getMessage()).contains("ols design is singular", "collinear");
    }

    @Test
    void constantFeatureIsSingular() throws IOException {
        Files.writeString(harness.dataRoot.resolve("features.csv"),
                Files.readString(harness.dataRoot.resolve("features.csv")).replaceAll("(?m)^([A-C]),(\\d+),([^,]+),", "$1,$2,1.0,"));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.SINGULAR_DESIGN);
        assertThat(e.getMessage()).contains("feature 'rain' is constant");
    }

    @Test
    void referenceMatchingNoRegion() throws IOException {
        Files.writeString(harness.dataRoot.resolve("survey.csv"), "region,year,issue,value\nX,2010,1,5.0\nY,2010,1,4.0\n");
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.REFERENCE_MATCHES_NO_REGION);
        assertThat(e.getMessage()).startsWith("survey.csv: reference 'SURVEY' has no value for any selected region in column 'region'");
    }

    @Test
    void missingInputFile() throws IOException {
        CropcastException e = fails(config("target.path=nope.csv"));
        assertThat(e.getMessage()).contains("nope.csv");
    }

    @Test
    void featureRegionsMatchingNoTargetRegion() throws IOException {
        Files.writeString(harness.dataRoot.resolve("features.csv"),
                Files.readString(harness.dataRoot.resolve("features.csv")).replaceAll("(?m)^([A-C]),", "$1$1,").toLowerCase(Locale.ROOT));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.FEATURES_MATCH_NO_REGION);
        assertThat(e.getMessage()).isEqualTo("features.csv: no region of the features ('region', e.g. 'aa') matches a region"
                + " of the target panel.csv (e.g. 'A')");
    }

    @Test
    void featureRegionsDifferingInCaseOnlyAreSaidToDoSo() throws IOException {
        Files.writeString(harness.dataRoot.resolve("features.csv"),
                Files.readString(harness.dataRoot.resolve("features.csv")).toLowerCase(Locale.ROOT));
        CropcastException e = fails(config());
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.FEATURES_MATCH_NO_REGION);
        assertThat(e.getMessage()).endsWith("; the names differ in case");
    }

    @Test
    void unsupportedFormatIsNamed() throws IOException {
        Files.copy(harness.dataRoot.resolve("panel.csv"), harness.dataRoot.resolve("panel.xlsx"));
        CropcastException e = fails(config("target.path=panel.xlsx"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.UNSUPPORTED_FORMAT);
        assertThat(e.getMessage()).isEqualTo("panel.xlsx: unsupported format '.xlsx' (supported: .csv, .csv.gz, .txt, .txt.gz, "
                + ".parquet, .pq)");
    }

    @Test
    void aGzipNameOnAPlainFileIsNamed() throws IOException {
        Files.copy(harness.dataRoot.resolve("panel.csv"), harness.dataRoot.resolve("panel.csv.gz"));
        CropcastException e = fails(config("target.path=panel.csv.gz"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.UNREADABLE_INPUT);
        assertThat(e.getMessage()).startsWith("panel.csv.gz: cannot read the file: not a gzip file");
    }

    @Test
    void includeRegionsNamingAnUnknownRegion() throws IOException {
        CropcastException e = fails(config("include_regions=[A, Z]"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.BAD_REGION_SELECTION);
        assertThat(e.getMessage()).isEqualTo("include_regions: 'Z' is not a region of panel.csv; its regions are e.g. 'A'");
    }

    @Test
    void excludingEveryRegion() throws IOException {
        CropcastException e = fails(config("exclude_regions=[A, B, C]"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.BAD_REGION_SELECTION);
        assertThat(e.getMessage()).contains("leave no region of panel.csv");
    }

    @Test
    void minYearsPerRegionLeavingNone() throws IOException {
        CropcastException e = fails(config("min_years_per_region=14"));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.BAD_REGION_SELECTION);
        assertThat(e.getMessage()).isEqualTo("min_years_per_region 14 leaves no region of panel.csv (2000-2012)");
    }
}
