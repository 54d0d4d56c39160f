package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestTrackingUris {
    @TempDir
    Path dataRoot;

    private final List<String> warnings = new ArrayList<>();

    private String anchor(String configured, Location root) {
        return TrackingUris.anchor(Optional.ofNullable(configured), root, warnings::add);
    }

    @Test
    void defaultIsAnchoredAtLocalDataRoot() {
        String uri = anchor(null, Location.local(dataRoot));
        assertThat(uri).isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/mlruns.db").startsWith("sqlite:////");
        assertThat(TrackingUris.sqliteDatabaseFile(uri)).contains(dataRoot.resolve("mlruns.db").toAbsolutePath());
        assertThat(warnings).isEmpty();
    }

    @Test
    void blankConfiguredMeansDefault() {
        assertThat(anchor("  ", Location.local(dataRoot))).isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/mlruns.db");
    }

    @Test
    void relativeSqliteWithSubdirectoryAndQueryIsAnchored() {
        assertThat(anchor("sqlite:///db/track.db?timeout=20", Location.local(dataRoot)))
                .isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/db/track.db?timeout=20");
    }

    @Test
    void absoluteSqliteHttpAndMemoryAreUntouched() {
        Location root = Location.local(dataRoot);
        for (String uri : List.of("sqlite:////tmp/mlruns.db", "sqlite:///:memory:", "http://127.0.0.1:5000",
                "https://user:pass@mlflow.example.com", "memory:", "databricks")) {
            assertThat(anchor(uri, root)).isEqualTo(uri);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void objectStoreDataRootWarnsAndLeavesUriRelative() {
        String uri = anchor(null, Location.of("s3://bucket/data"));
        assertThat(uri).isEqualTo(TrackingUris.DEFAULT);
        assertThat(warnings).singleElement().asString()
                .contains("s3://bucket/data", "sqlite:////tmp/mlruns.db", "HTTP(S)", "working directory");
    }

    @Test
    void objectStoreDataRootWithAbsoluteUriDoesNotWarn() {
        assertThat(anchor("sqlite:////var/lib/mlruns.db", Location.of("s3://bucket/data"))).isEqualTo("sqlite:////var/lib/mlruns.db");
        assertThat(warnings).isEmpty();
    }

    @Test
    void malformedSqliteUriIsRejectedWithoutSecrets() {
        assertThatThrownBy(() -> anchor("sqlite:relative.db", Location.local(dataRoot)))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_URI);
                    assertThat(e.getMessage()).contains("sqlite:relative.db");
                });
        assertThatThrownBy(() -> anchor("sqlite://user:secret@host/x.db", Location.local(dataRoot)))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void embeddedArtifactRootIsBesideTheDatabase() {
        Path db = dataRoot.resolve("mlruns.db");
        assertThat(TrackingUris.embeddedArtifactRoot(db)).isEqualTo(Location.local(dataRoot.resolve("mlartifacts")));
        assertThat(TrackingUris.sqliteDatabaseFile("sqlite:///:memory:")).isEmpty();
        assertThat(TrackingUris.sqliteDatabaseFile("sqlite:///rel.db"))
                .contains(Path.of("rel.db").toAbsolutePath());
    }
}
