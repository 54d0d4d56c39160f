package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactFile;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch upload ({@link MlflowArtifactsArtifactStore#logFiles}, its PUTs up to 4 at once) when the
 * server refuses one of its files (a proxy answering 403 PERMISSION_DENIED to that file's PUT, as an
 * auth-enabled MLflow does): the call fails with that file's one-line refusal, and the refused file
 * is not on the real server behind the proxy. The batch's success path runs in the artifact-store
 * contract ({@link MlflowArtifactsArtifactStoreContractTest}).
 */
class MlflowArtifactsBatchUploadTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedFileFailsTheBatchWithItsOwnOneLineErrorAndIsNotWritten() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        ForwardingProxy.Rule refusing = new ForwardingProxy.Rule() {
            @Override
            public Optional<ForwardingProxy.Refusal> refuse(String method, String path) {
                return method.equals("PUT") && path.endsWith("/refused.png")
                        ? Optional.of(new ForwardingProxy.Refusal(403, "PERMISSION_DENIED", "Permission denied"))
                        : Optional.empty();
            }
        };
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
        try (ForwardingProxy proxy = ForwardingProxy.start(server.trackingUri(), refusing);
                RunStore runs = new MlflowRestRunStoreFactory(connections).create(proxy.uri())) {
            Experiment experiment = runs.getOrCreateExperiment("batch-" + UUID.randomUUID().toString().substring(0, 8));
            RunInfo run = runs.createRun(new CreateRunRequest(experiment.id(), "hindcast", "alice", 1_700_000_000_000L, List.of()));
            Random random = new Random(3);
            List<ArtifactFile> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] png = new byte[20_000];
                random.nextBytes(png);
                batch.add(new ArtifactFile(Files.write(dir.resolve("fold_" + i + ".png"), png), "reports/folds"));
            }
            batch.add(3, new ArtifactFile(Files.write(dir.resolve("refused.png"), new byte[] {1, 2, 3}), "reports/folds"));

            assertThatThrownBy(() -> artifacts.logFiles(run.artifactUri(), batch)).isInstanceOfSatisfying(CropcastException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.PERMISSION_DENIED);
                assertThat(e.getMessage()).doesNotContain("\n").contains("reports/folds/refused.png");
            });
            assertThat(artifacts.list(run.artifactUri(), "reports/folds")).extracting(ArtifactEntry::path)
                    .doesNotContain("reports/folds/refused.png");
        }
    }
}
