package org.cropcast.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    static final String VALID = """
            experiment_name: US corn yield
            data_root: data
            feature_start_year: 2000
            feature_end_year: 2020
            target:
              path: target.csv
              yield_column: yield_bu_acre
            features:
              path: features.csv
              variables: [t2m, prcp]
            reference_data:
              - name: nass
                path: nass.csv
                layout: wide
                value_columns: [fcst_aug, fcst_sep]
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private Path write(String text) throws Exception {
        Path file = dir.resolve("experiment.yaml");
        Files.writeString(file, text);
        return file;
    }

    private CropcastException failure(String text, String... overrides) throws Exception {
        Path file = write(text);
        try {
            loader.load(file, List.of(overrides));
        } catch (CropcastException e) {
            assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(file.toString());
            return e;
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    @Test
    void appliesDefaultsAndResolvesDataRootAgainstTheFile() throws Exception {
        PipelineConfig config = loader.load(write(VALID), List.of());
        assertThat(config.experimentKey()).isEqualTo("us-corn-yield");
        assertThat(config.dataRoot()).isEqualTo(dir.resolve("data").toString());
        assertThat(config.mlflowTrackingUri()).isEqualTo("sqlite:///mlruns.db");
        assertThat(config.detrend()).isEqualTo("linear");
        assertThat(config.regression()).isEqualTo("ridge");
        assertThat(config.ridgeAlpha()).isEqualTo(1.0);
        assertThat(config.cvScheme()).isEqualTo("leave_one_year_out");
        assertThat(config.randomSeed()).isEqualTo(42L);
        assertThat(config.productionCumulativeThreshold()).isEqualTo(1.0);
        assertThat(config.fitDatasetFeatures()).isTrue();
        assertThat(config.target().regionColumn()).isEqualTo("region");
        assertThat(config.target().yieldColumn()).isEqualTo("yield_bu_acre");
        assertThat(config.features().layout()).isEqualTo("wide");
        assertThat(config.referenceData()).singleElement().satisfies(r -> assertThat(r.valueColumns()).containsExactly("fcst_aug", "fcst_sep"));
    }

    @Test
    void dataRootComesFromTheEnvironmentWhenAbsent() throws Exception {
        String text = VALID.replace("data_root: data\n", "");
        PipelineConfig config = new ConfigLoader(Map.of("INPUT_DATA_DIR", "s3://bucket/qa")).load(write(text), List.of());
        assertThat(config.dataRoot()).isEqualTo("s3://bucket/qa");
        assertThatThrownBy(() -> loader.load(write(text), List.of()))
                .hasMessageContaining("key 'data_root' is required")
                .hasMessageContaining("INPUT_DATA_DIR");
    }

    @Test
    void theFileWinsOverTheEnvironmentAndSetWinsOverBoth() throws Exception {
        ConfigLoader withEnv = new ConfigLoader(Map.of("INPUT_DATA_DIR", "/elsewhere", "MLFLOW_TRACKING_URI", "http://localhost:5000"));
        PipelineConfig config = withEnv.load(write(VALID), List.of("data_root=/tmp/x", "detrend=quadratic",
                "target.yield_column=y", "reference_data.0.name=nass-final", "feature_end_year=2021", "features.variables=[a, b, c]"));
        assertThat(config.dataRoot()).isEqualTo("/tmp/x");
        assertThat(config.mlflowTrackingUri()).isEqualTo("http://localhost:5000");
        assertThat(config.detrend()).isEqualTo("quadratic");
        assertThat(config.target().yieldColumn()).isEqualTo("y");
        assertThat(config.referenceData().get(0).name()).isEqualTo("nass-final");
        assertThat(config.featureEndYear()).isEqualTo(2021);
        assertThat(config.features().variables()).containsExactly("a", "b", "c");
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() throws Exception {
        assertThat(failure(VALID + "detrnd: linear\n").getMessage())
                .contains("unknown key 'detrnd'").contains("did you mean 'detrend'?");
        assertThat(failure(VALID.replace("yield_column", "yeild_column")).getMessage())
                .contains("unknown key 'target.yeild_column'").contains("did you mean 'yield_column'?");
        assertThat(failure(VALID.replace("value_columns", "value_colunms")).getMessage())
                .contains("unknown key 'reference_data.0.value_colunms'").contains("did you mean 'value_columns'?");
        assertThat(failure(VALID.replace("value_columns", "value_colums")).errorCode()).isEqualTo(AppErrorCode.CONFIG_UNKNOWN_KEY);
    }

    @Test
    void unknownOverrideKeysNameTheOverride() throws Exception {
        Path file = write(VALID);
        assertThatThrownBy(() -> loader.load(file, List.of("target.yeild_column=x")))
                .hasMessage("--set target.yeild_column: unknown key 'target.yeild_column' (did you mean 'yield_column'?)");
        assertThatThrownBy(() -> loader.load(file, List.of("no-equals-sign")))
                .hasMessageContaining("expected KEY=VALUE");
        assertThatThrownBy(() -> loader.load(file, List.of("reference_data.7.name=x")))
                .hasMessageContaining("'reference_data' has no element 7");
        assertThatThrownBy(() -> loader.load(file, List.of("detrend.x=1")))
                .hasMessageContaining("'detrend' holds a value, not keys");
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() throws Exception {
        CropcastException e = failure("experiment_name: x\nfeature_start_year: [2000\n  bad: : :\n");
        assertThat(e.errorCode()).isEqualTo(AppErrorCode.CONFIG_SYNTAX);
        assertThat(e.getMessage()).matches(".*experiment\\.yaml:\\d+:\\d+: YAML syntax error: .*");
        assertThat(failure("experiment_name: x\ndetrend: linear\n  bad indent: 1\n").getMessage()).contains("experiment.yaml:3:");
    }

    @Test
    void duplicateKeysAreRejected() throws Exception {
        assertThat(failure(VALID + "detrend: none\ndetrend: linear\n").getMessage()).contains("duplicate key 'detrend'");
    }

    @Test
    void wrongTypesNameKeyExpectedTypeAndValue() throws Exception {
        assertThat(failure(VALID.replace("feature_start_year: 2000", "feature_start_year: two thousand")).getMessage())
                .endsWith("key 'feature_start_year': expected an integer, got 'two thousand'");
        assertThat(failure(VALID.replace("feature_start_year: 2000", "feature_start_year: \"2000\"")).getMessage())
                .contains("key 'feature_start_year': expected an integer");
        assertThat(failure(VALID.replace("feature_start_year: 2000", "feature_start_year: 2000.5")).getMessage())
                .contains("key 'feature_start_year': expected an integer, got 2000.5");
        assertThat(failure(VALID + "ridge_alpha: lots\n").getMessage()).contains("key 'ridge_alpha': expected a number");
        assertThat(failure(VALID.replace("variables: [t2m, prcp]", "variables: t2m")).getMessage())
                .contains("key 'features.variables': expected a list");
        assertThat(failure(VALID + "random_seed: [1]\n").getMessage()).contains("key 'random_seed': expected an integer");
        assertThat(failure("- a\n- b\n").getMessage()).contains("must be a mapping");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "feature_end_year: 2020|feature_end_year: 1990|the years are reversed: start 2000 is after end 1990",
        "data_root: data|data_root: data\\nproduction_cumulative_threshold: 0|key 'production_cumulative_threshold': must be in (0, 1] (got 0.0)",
        "data_root: data|data_root: data\\nproduction_cumulative_threshold: 1.5|key 'production_cumulative_threshold': must be in (0, 1] (got 1.5)",
        "data_root: data|data_root: data\\ndetrend: cubic|key 'detrend': must be one of none, linear, quadratic (got 'cubic')",
        "data_root: data|data_root: data\\ndetrend: linaer|(got 'linaer', did you mean 'linear'?)",
        "data_root: data|data_root: data\\nregression: lasso|key 'regression': must be one of none, ols, ridge, gbt (got 'lasso')",
        "data_root: data|data_root: data\\ncv_scheme: kfold|key 'cv_scheme': must be one of leave_one_year_out, expanding_window",
        "data_root: data|data_root: data\\nexperiment_key: ../etc|key 'experiment_key': must be 1-64 characters",
        "data_root: data|data_root: data\\nridge_alpha: -1|key 'ridge_alpha': must be a finite number >= 0",
        "data_root: data|data_root: data\\nmin_train_years: 0|key 'min_train_years': must be at least 1",
        "data_root: data|data_root: s3:/bucket|key 'data_root': invalid location",
        "experiment_name: US corn yield|experiment_name: ''|key 'experiment_name' is required",
        "  yield_column: yield_bu_acre|  yield_column: ''|key 'target.yield_column' is required",
        "feature_start_year: 2000|feature_start_year: 1066|key 'feature_start_year': must be a year in [1800, 2200] (got 1066)",
        "layout: wide|layout: long|key 'reference_data.0.value_column' is required",
        "- name: nass|- name: ../x|key 'reference_data.0.name': must be 1-64 characters",
        "data_root: data|data_root: data\\ninit_dates: ['8-1']|key 'init_dates': must be month-day strings",
        "data_root: data|data_root: data\\ninit_dates: ['02-30']|key 'init_dates': is not a day of the year (got '02-30')",
        "data_root: data|data_root: data\\ninit_dates: ['08-01', '08-01']|key 'init_dates': must not repeat a date (got '08-01')",
        "data_root: data|data_root: data\\nmin_years_per_region: -1|key 'min_years_per_region': must be >= 0 (got -1)",
        "  variables: [t2m, prcp]|  variables: [t2m, prcp]\\n  period: 13|key 'features.period': must be a month 1-12 (0 = no period) (got 13)",
        "  variables: [t2m, prcp]|  variables: [t2m, prcp]\\n  column_periods: {tmax: 7}|key 'features.column_periods': must name columns of features.variables [t2m, prcp] (got 'tmax')",
        "value_columns: [fcst_aug, fcst_sep]|value_columns: [fcst_aug, fcst_sep]\\n    issue_dates: {fcst_aug: '08-32'}|key 'reference_data.0.issue_dates.fcst_aug': is not a day of the year (got '08-32')",
        "value_columns: [fcst_aug, fcst_sep]|value_columns: [fcst_aug, fcst_sep]\\n    issue_dates: {fcst_jul: '07-12'}|key 'reference_data.0.issue_dates': must name issues of value_columns [fcst_aug, fcst_sep] (got 'fcst_jul')",
    })
    void rulesAreEnforced(String from, String to, String expected) throws Exception {
        String text = VALID.replace(from, to.replace("\\n", "\n"));
        assertThat(failure(text).getMessage()).contains(expected);
    }

    @Test
    void featuresAreRequiredUnlessTrendOnly() throws Exception {
        String noFeatures = VALID.replace("features:\n  path: features.csv\n  variables: [t2m, prcp]\n", "");
        assertThat(failure(noFeatures).getMessage()).contains("key 'features' is required when regression is 'ridge'");
        assertThat(loader.load(write(noFeatures + "regression: none\n"), List.of()).features()).isNull();
    }

    @Test
    void duplicateReferenceNamesCollide() throws Exception {
        String text = VALID + "  - name: nass\n    path: other.csv\n    value_column: v\n    issue_column: i\n";
        assertThat(failure(text).getMessage()).contains("key 'reference_data.1.name': must be unique");
    }

    @Test
    void unreadableFiles() throws Exception {
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"), List.of()))
                .hasMessage(dir.resolve("missing.yaml") + ": configuration file not found")
                .extracting(e -> ((CropcastException) e).errorCode()).isEqualTo(AppErrorCode.CONFIG_NOT_FOUND);
        assertThatThrownBy(() -> loader.load(dir, List.of())).hasMessageContaining("it is a directory");
        assertThat(failure("").getMessage()).contains("the configuration is empty");
        assertThat(failure("# only a comment\n").getMessage()).contains("the configuration is empty");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        assertThatThrownBy(() -> loader.load(binary, List.of())).hasMessageContaining("contains NUL bytes");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "experiment_name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> loader.load(latin1, List.of())).hasMessageContaining("not valid UTF-8");
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "# " + "x".repeat((int) ConfigLoader.MAX_CONFIG_BYTES) + "\n");
        assertThatThrownBy(() -> loader.load(huge, List.of())).hasMessageContaining("larger than 1024 KiB");
    }

    @Test
    void credentialsNeverReachMessages() throws Exception {
        String text = VALID.replace("data_root: data", "data_root: s3://user:hunter2@bucket/x");
        assertThat(failure(text).getMessage()).doesNotContain("hunter2");
        String wrongType = VALID + "mlflow_tracking_uri: [https://user:hunter2@host]\n";
        assertThat(failure(wrongType).getMessage()).doesNotContain("hunter2");
    }

    @Test
    void resolvedDocumentRoundTripsAndIsRedacted() throws Exception {
        PipelineConfig config = loader.load(write(VALID), List.of("mlflow_tracking_uri=https://alice:s3cret@mlflow.example/"));
        Map<String, Object> document = ConfigDocuments.toDocument(config);
        assertThat(document.keySet()).startsWith("experiment_name", "experiment_key", "random_seed", "data_root");
        assertThat(document.get("mlflow_tracking_uri")).isEqualTo("https://***@mlflow.example/");
        var out = new java.io.ByteArrayOutputStream();
        new org.cropcast.pipeline.yaml.JacksonYamlDocumentWriter().write(document, out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertThat(yaml).doesNotContain("s3cret").contains("experiment_key: us-corn-yield");
        PipelineConfig reread = loader.parse("config_resolved.yaml", yaml, dir, List.of());
        assertThat(reread.experimentKey()).isEqualTo(config.experimentKey());
        assertThat(reread.referenceData()).isEqualTo(config.referenceData());
        assertThat(reread.features()).isEqualTo(config.features());
    }
}
