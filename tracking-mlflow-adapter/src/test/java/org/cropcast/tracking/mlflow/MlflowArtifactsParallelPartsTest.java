package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many multipart parts go up at once (the uploads themselves: MlflowRestS3ArtifactsTest, against a real server and S3). */
class MlflowArtifactsParallelPartsTest {
    private static final long MIB = 1L << 20;

    @Test
    void atMostFourPartsAndNeverMoreThanThereAre() {
        assertThat(MlflowArtifactsArtifactStore.parallelParts(100, 10 * MIB, 256 * MIB)).isEqualTo(4);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(3, 10 * MIB, 256 * MIB)).isEqualTo(3);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(1, 10 * MIB, 256 * MIB)).isEqualTo(1);
    }

    @Test
    void partBuffersStayWithinAQuarterOfTheHeap() {
        assertThat(MlflowArtifactsArtifactStore.parallelParts(100, 32 * MIB, 256 * MIB)).isEqualTo(2);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(100, 100 * MIB, 256 * MIB)).isEqualTo(1);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(100, 5 * MIB, 64 * MIB)).isEqualTo(3);
    }
}
