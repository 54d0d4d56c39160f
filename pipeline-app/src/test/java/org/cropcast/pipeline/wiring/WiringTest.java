package org.cropcast.pipeline.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.cropcast.pipeline.Cropcast;
import org.cropcast.pipeline.cli.CropcastCommand;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageRegistry;
import org.cropcast.pipeline.stages.FitProductionStage;
import org.cropcast.pipeline.stages.ForecastStage;
import org.cropcast.pipeline.stages.HindcastStage;
import org.cropcast.pipeline.yaml.JacksonYamlDocumentWriter;
import org.cropcast.storage.s3.S3Storage;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.SwitchingModelStoreFactory;
import org.cropcast.tracking.SwitchingRunStoreFactory;
import org.cropcast.tracking.SwitchingStorage;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingContext;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.mlflow.MlflowArtifactsArtifactStore;
import org.cropcast.tracking.mlflow.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Builds the real injector, with every adapter module installed, and checks what it wires by scheme. */
class WiringTest {
    @TempDir
    Path dir;

    private final Injector injector = Cropcast.injector(ProcessContext.of(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()), Map.of(), Clock.systemUTC()));

    @Test
    void trackingBackendsByScheme() {
        SwitchingRunStoreFactory backends = injector.getInstance(SwitchingRunStoreFactory.class);
        assertThat(backends.schemes()).containsExactly("http", "https", "memory", "sqlite");
        try (RunStore sqlite = backends.create("sqlite:///" + dir.resolve("mlruns.db"))) {
            assertThat(sqlite).isInstanceOf(SqliteRunStore.class);
            assertThat(sqlite.getOrCreateExperiment("wiring").name()).isEqualTo("wiring");
        }
        assertThat(backends.create("memory:wiring")).isInstanceOf(MemoryRunStore.class)
                .isSameAs(backends.create("memory:wiring"));
        assertThat(backends.factoryFor("https://mlflow.example.org").schemes()).contains("http", "https");
        assertThatThrownBy(() -> backends.create("ftp://user:pw@host/x"))
                .isInstanceOf(CropcastException.class)
                .hasMessage("tracking URI 'ftp://***@host/x' has the unknown scheme 'ftp'; known schemes: http, https, memory, sqlite "
                        + "(for example sqlite:///mlruns.db, http://localhost:5000, memory:)")
                .extracting(e -> ((CropcastException) e).errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
    }

    /**
     * The command line opens tracking as core's entry point for other tools does ({@code Tracking}:
     * the adapters found through ServiceLoader on this class path, built into core's switching
     * implementations), so a scheme an adapter registers is served by both, and nothing else is.
     */
    @Test
    void theCompositionRootOpensTrackingThroughTheEmbeddingEntryPoint() {
        TrackingAdapters discovered = TrackingAdapters.discover(getClass().getClassLoader());
        assertThat(injector.getInstance(TrackingAdapters.class).trackingSchemes()).containsExactlyElementsOf(discovered.trackingSchemes());
        assertThat(injector.getInstance(SwitchingRunStoreFactory.class).schemes()).containsExactlyElementsOf(discovered.trackingSchemes());
        assertThat(injector.getInstance(RunStoreFactory.class)).isSameAs(injector.getInstance(SwitchingRunStoreFactory.class));
        TrackingAdapters.Components components = injector.getInstance(TrackingAdapters.Components.class);
        assertThat(components.storage()).isSameAs(injector.getInstance(Storage.class));
        assertThat(components.artifactStore()).isSameAs(injector.getInstance(ArtifactStore.class));
        // which schemes these serve: storageByLocationScheme and artifactStoresByRootScheme
        assertThat(discovered.storageSchemes()).containsExactly("file", "memory", "s3");
        assertThat(discovered.artifactSchemes()).containsExactly("file", "memory", "mlflow-artifacts", "s3");
        TrackingAdapters.Components fresh = discovered.create(new TrackingContext(Clock.systemUTC(), new java.util.Random(1),
                Map.of(), java.util.Optional.empty()));
        assertThat(injector.getInstance(ModelStoreFactory.class)).isInstanceOfSatisfying(SwitchingModelStoreFactory.class,
                models -> assertThat(models.schemes()).containsExactlyInAnyOrderElementsOf(fresh.modelStores().keySet()));
        assertThat(fresh.modelStores().keySet()).containsExactlyInAnyOrder("http", "https", "memory", "sqlite");
    }

    @Test
    void storageByLocationScheme() {
        Storage storage = injector.getInstance(Storage.class);
        SwitchingStorage switching = injector.getInstance(SwitchingStorage.class);
        assertThat(storage).isSameAs(switching);
        assertThat(switching.forLocation(Location.of(dir.toString())).getClass().getSimpleName()).isEqualTo("LocalStorage");
        assertThat(switching.forLocation(Location.of("memory://bucket/key")).getClass().getSimpleName()).isEqualTo("MemoryStorage");
        assertThat(switching.forLocation(Location.of("s3://bucket/key"))).isInstanceOf(S3Storage.class);
        assertThatThrownBy(() -> switching.forLocation(Location.of("gs://bucket/key")))
                .hasMessageContaining("known schemes: [file, memory, s3]");
    }

    @Test
    void artifactStoresByRootScheme() {
        SwitchingArtifactStore artifacts = injector.getInstance(SwitchingArtifactStore.class);
        assertThat(injector.getInstance(ArtifactStore.class)).isSameAs(artifacts);
        assertThat(artifacts.forUri("file:///tmp/mlartifacts/1/abc/artifacts")).isInstanceOf(StorageArtifactStore.class);
        assertThat(artifacts.forUri("/tmp/mlruns/1/abc/artifacts")).isSameAs(artifacts.forUri("file:///tmp/x"));
        assertThat(artifacts.supports("file:///tmp/mlartifacts/1/abc/artifacts")).isTrue();
        assertThat(artifacts.forUri("mlflow-artifacts:/1/abc/artifacts")).isInstanceOf(MlflowArtifactsArtifactStore.class);
        assertThat(artifacts.supports("s3://bucket/mlartifacts/1/abc/artifacts")).isTrue();
        assertThat(artifacts.supports("memory://mlartifacts/1/abc/artifacts")).isTrue();
        assertThatThrownBy(() -> artifacts.forUri("hdfs://nn/x")).hasMessageContaining("known schemes: [file, memory, mlflow-artifacts, s3]");
    }

    @Test
    void stagesDocumentsAndCommands() {
        StageRegistry stages = injector.getInstance(StageRegistry.class);
        assertThat(stages.names()).containsExactly("fit-production", "forecast", "hindcast");
        assertThat(stages.stage("hindcast")).containsInstanceOf(HindcastStage.class);
        assertThat(stages.stage("fit-production")).containsInstanceOf(FitProductionStage.class);
        assertThat(stages.stage("forecast")).containsInstanceOf(ForecastStage.class);
        assertThat(injector.getInstance(DocumentWriter.class)).isInstanceOf(JacksonYamlDocumentWriter.class);
        CommandLine commandLine = Cropcast.commandLine(injector, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        assertThat((Object) commandLine.getCommand()).isInstanceOf(CropcastCommand.class);
        assertThat(commandLine.getSubcommands()).containsOnlyKeys("run", "runs", "models", "demo", "sweep");
        assertThat(commandLine.getSubcommands().get("models").getSubcommands()).containsOnlyKeys("list", "show", "promote");
        assertThat(commandLine.getSubcommands().get("run").getSubcommands()).containsOnlyKeys("hindcast", "fit-production", "forecast");
        assertThat(commandLine.getSubcommands().get("runs").getSubcommands()).containsOnlyKeys("list", "show", "compare", "sync", "report");
    }
}
