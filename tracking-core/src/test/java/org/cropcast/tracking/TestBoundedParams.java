package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestBoundedParams {
    static final BoundedParams PARAMS = new BoundedParams(42, "s3://key:secret@bucket/data", 2001, 2020,
            "soy-brazil", "soy_br_v1", "linear", "ridge", 0.9);

    /** Golden: the run comparison view depends on exactly these keys. Change only on purpose. */
    @Test
    void keySetIsPinned() {
        assertThat(PARAMS.toParams("hindcast")).extracting(Param::key).containsExactly(
                "hindcast/random_seed",
                "hindcast/data_root",
                "hindcast/feature_start_year",
                "hindcast/feature_end_year",
                "hindcast/experiment_name",
                "hindcast/experiment_key",
                "hindcast/detrend",
                "hindcast/regression",
                "hindcast/production_cumulative_threshold");
    }

    @Test
    void valuesAreFormattedAndRedacted() {
        assertThat(PARAMS.toParams("forecast")).containsExactly(
                new Param("forecast/random_seed", "42"),
                new Param("forecast/data_root", "s3://***@bucket/data"),
                new Param("forecast/feature_start_year", "2001"),
                new Param("forecast/feature_end_year", "2020"),
                new Param("forecast/experiment_name", "soy-brazil"),
                new Param("forecast/experiment_key", "soy_br_v1"),
                new Param("forecast/detrend", "linear"),
                new Param("forecast/regression", "ridge"),
                new Param("forecast/production_cumulative_threshold", "0.9"));
    }

    @Test
    void stagesNeverCollide() {
        List<String> hindcast = PARAMS.toParams("hindcast").stream().map(Param::key).toList();
        List<String> fit = PARAMS.toParams("fit-production").stream().map(Param::key).toList();
        assertThat(hindcast).doesNotContainAnyElementsOf(fit);
    }
}
