package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestDatasetArtifacts {
    @Test
    void conventions() {
        assertThat(DatasetArtifacts.FIT_PATH).isEqualTo("datasets/fit.parquet");
        assertThat(DatasetArtifacts.PRED_PATH).isEqualTo("datasets/pred.parquet");
        assertThat(DatasetArtifacts.referenceDirectory("conab-final")).isEqualTo("datasets/conab-final");
        assertThat(DatasetArtifacts.referenceDirectory("conab-lev")).isNotEqualTo(DatasetArtifacts.referenceDirectory("conab-final"));
        assertThat(FoldReports.directory("2019")).isEqualTo("reports/folds/2019");
    }

    @Test
    void specNamesMustBeOneSafeSegment() {
        for (String bad : new String[] {"", "a/b", "../x", "fit.parquet", "%2e%2e%2fx"}) {
            assertThatThrownBy(() -> DatasetArtifacts.referenceDirectory(bad))
                    .as(bad).isInstanceOfSatisfying(CropcastException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT));
        }
    }
}
