package org.cropcast.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.junit.jupiter.api.Test;

class TestEndpointArtifactStore {
    private final ArtifactStore any = new SwitchingArtifactStore(Map.of("memory", new StorageArtifactStore(new MemoryStorage())));

    @Test
    void hostlessProxiedRootsAreBoundToTheEndpointsServer() {
        EndpointArtifactStore a = (EndpointArtifactStore) EndpointArtifactStore.of(any, "http://team-a:5000");
        EndpointArtifactStore b = (EndpointArtifactStore) EndpointArtifactStore.of(any, "https://team-b.example.com/");
        assertThat(a.qualify("mlflow-artifacts:/1/abc/artifacts")).isEqualTo("mlflow-artifacts://team-a:5000/1/abc/artifacts");
        assertThat(b.qualify("mlflow-artifacts:/1/abc/artifacts")).isEqualTo("mlflow-artifacts://team-b.example.com/1/abc/artifacts");
        assertThat(a.qualify("mlflow-artifacts://other:7000/1/abc")).isEqualTo("mlflow-artifacts://other:7000/1/abc");
        assertThat(a.qualify("s3://bucket/1/abc")).isEqualTo("s3://bucket/1/abc");
    }

    @Test
    void otherBackendsUseTheStoreAsItIs() {
        assertThat(EndpointArtifactStore.of(any, "sqlite:////tmp/mlruns.db")).isSameAs(any);
        assertThat(EndpointArtifactStore.of(any, "memory:")).isSameAs(any);
    }
}
