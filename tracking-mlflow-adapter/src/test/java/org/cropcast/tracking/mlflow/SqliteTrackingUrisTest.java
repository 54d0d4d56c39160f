package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingUris;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's {@link TrackingUris#anchor} with the SQLite adapter found on the class path: a relative
 * {@code sqlite:} URI is anchored at the data root by {@link SqliteTrackingUri}, the one parser of
 * SQLite URIs, which refuses what the store would refuse (query strings, {@code :memory:}).
 */
class SqliteTrackingUrisTest {
    @TempDir
    Path dataRoot;

    private final List<String> warnings = new ArrayList<>();
    private final TrackingAdapters adapters = TrackingAdapters.discover(getClass().getClassLoader());

    private String anchor(String configured, Location root) {
        return TrackingUris.anchor(Optional.ofNullable(configured), root, adapters, warnings::add);
    }

    @Test
    void defaultIsAnchoredAtLocalDataRoot() {
        String uri = anchor(null, Location.local(dataRoot));
        assertThat(uri).isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/mlruns.db").startsWith("sqlite:////");
        assertThat(adapters.databaseFile(uri)).contains(dataRoot.resolve("mlruns.db").toAbsolutePath());
        assertThat(SqliteTrackingUri.parse(uri).database()).isEqualTo(dataRoot.resolve("mlruns.db").toAbsolutePath());
        assertThat(warnings).isEmpty();
    }

    @Test
    void blankConfiguredMeansDefault() {
        assertThat(anchor("  ", Location.local(dataRoot))).isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/mlruns.db");
    }

    @Test
    void relativeSqliteWithSubdirectoryIsAnchored() {
        assertThat(anchor("sqlite:///db/track.db", Location.local(dataRoot)))
                .isEqualTo("sqlite:///" + dataRoot.toAbsolutePath() + "/db/track.db");
    }

    @Test
    void absoluteSqliteHttpAndMemoryAreUntouched() {
        Location root = Location.local(dataRoot);
        for (String uri : List.of("sqlite:////tmp/mlruns.db", "http://127.0.0.1:5000", "https://user:pass@mlflow.example.com",
                "memory:", "databricks")) {
            assertThat(anchor(uri, root)).isEqualTo(uri);
        }
        assertThat(warnings).isEmpty();
    }

    /** The store refuses these when it opens them; anchoring refuses them the same way, with the same parser. */
    @Test
    void queryStringsAndInMemoryDatabasesAreRefusedAsTheStoreRefusesThem() {
        for (String uri : List.of("sqlite:///db/track.db?timeout=20", "sqlite:///:memory:")) {
            assertThatThrownBy(() -> anchor(uri, Location.local(dataRoot)))
                    .isInstanceOfSatisfying(CropcastException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(SqliteErrorCode.INVALID_SQLITE_URI);
                        assertThat(e.errorCode().category()).isEqualTo(ErrorCategory.USER_INPUT);
                    });
            assertThatThrownBy(() -> SqliteTrackingUri.parse(uri)).isInstanceOf(CropcastException.class);
        }
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
                    assertThat(e.errorCode()).isEqualTo(SqliteErrorCode.INVALID_SQLITE_URI);
                    assertThat(e.getMessage()).contains("sqlite:relative.db");
                });
        assertThatThrownBy(() -> anchor("sqlite://user:secret@host/x.db", Location.local(dataRoot)))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void theEmbeddedStoresArtifactsAreBesideTheDatabaseAndARelativeFileIsInTheWorkingDirectory() {
        SqliteTrackingUri uri = SqliteTrackingUri.parse("sqlite:///" + dataRoot.resolve("mlruns.db"));
        assertThat(SqliteRunStore.defaultArtifactDirectory(uri)).isEqualTo(dataRoot.resolve("mlartifacts").toAbsolutePath());
        assertThat(adapters.databaseFile("sqlite:///rel.db")).contains(Path.of("rel.db").toAbsolutePath());
        assertThat(adapters.databaseFile("memory:")).isEmpty();
        assertThat(adapters.databaseFile("http://127.0.0.1:5000")).isEmpty();
    }
}
