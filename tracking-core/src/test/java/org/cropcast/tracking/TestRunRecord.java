package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestRunRecord {
    private final MemoryStorage storage = new MemoryStorage();
    private final SerializingDocumentWriter documents = new SerializingDocumentWriter();
    private final Location runDir = Location.of("memory://runs/r1");

    @Test
    void roundTripWithoutCredentials() {
        RunRecord record = new RunRecord("forecast", RunId.of("0123456789abcdef0123456789abcdef"), ExperimentId.of("3"),
                "https://user:pw@mlflow.example.com", "2026-11-26T09:00:00Z");
        record.write(storage, documents, runDir);
        assertThat(storage.exists(runDir.resolve("metadata_forecast.yaml"))).isTrue();
        RunRecord read = RunRecord.read(storage, documents, runDir, "forecast").orElseThrow();
        assertThat(read).isEqualTo(record);
        assertThat(read.trackingUri()).isEqualTo("https://***@mlflow.example.com");
        assertThat(RunRecord.read(storage, documents, runDir, "hindcast")).isEmpty();
    }

    @Test
    void recordWithoutRunIdNamesFileAndKey() throws Exception {
        storage.write(runDir.resolve("metadata_hindcast.yaml"), out -> documents.write(Map.of("experiment_id", "1"), out));
        assertThatThrownBy(() -> RunRecord.read(storage, documents, runDir, "hindcast"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_DIRECTORY);
                    assertThat(e.getMessage()).contains("metadata_hindcast.yaml", "mlflow_run_id");
                });
    }

    @Test
    void recordWithBadRunIdIsInvalidRunDirectory() throws Exception {
        storage.write(runDir.resolve("metadata_hindcast.yaml"),
                out -> documents.write(Map.of("mlflow_run_id", "../../etc", "experiment_id", "1"), out));
        assertThatThrownBy(() -> RunRecord.read(storage, documents, runDir, "hindcast"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_DIRECTORY);
                    assertThat(e.getMessage()).contains("metadata_hindcast.yaml");
                });
    }
}
