package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's anchoring rule with a file-backed test adapter ({@code filedb:} URIs, relative unless they
 * start with {@code /}); the SQLite adapter's own parsing of {@code sqlite:} URIs is checked in
 * tracking-mlflow-adapter ({@code SqliteTrackingUrisTest}).
 */
class TestTrackingUris {
    @TempDir
    Path dataRoot;

    private final List<String> warnings = new ArrayList<>();

    /** A provider whose URIs name a file: {@code filedb:relative/x.db} or {@code filedb:/absolute/x.db}. */
    private static class FileDbProvider implements RunStoreProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("filedb");
        }

        @Override
        public RunStoreFactory create(TrackingContext context) {
            throw new UnsupportedOperationException("never opened here");
        }

        @Override
        public Optional<String> anchor(String trackingUri, Path directory) {
            String path = trackingUri.substring("filedb:".length());
            return path.startsWith("/") ? Optional.empty()
                    : Optional.of("filedb:" + directory.resolve(path).toAbsolutePath().normalize());
        }
    }

    private final TrackingAdapters adapters = TrackingAdapters.of(List.of(new MemoryRunStoreProvider(), new FileDbProvider()),
            List.of(), List.of());

    private String anchor(String configured, Location root) {
        return TrackingUris.anchor(Optional.ofNullable(configured), root, adapters, warnings::add);
    }

    @Test
    void aRelativeFileUriIsAnchoredAtTheLocalDataRootByItsAdapter() {
        assertThat(anchor("filedb:db/track.db", Location.local(dataRoot)))
                .isEqualTo("filedb:" + dataRoot.toAbsolutePath().resolve("db/track.db"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void absoluteRemoteMemoryAndUnservedUrisAreUntouched() {
        Location root = Location.local(dataRoot);
        for (String uri : List.of("filedb:/tmp/x.db", "http://127.0.0.1:5000", "https://user:pass@mlflow.example.com",
                "memory:", "databricks")) {
            assertThat(anchor(uri, root)).isEqualTo(uri);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void withoutAConfiguredUriTheDefaultIsUsed() {
        // no SQLite adapter among these adapters: the default stays as it is
        assertThat(anchor(null, Location.local(dataRoot))).isEqualTo(TrackingUris.DEFAULT);
        assertThat(anchor("  ", Location.local(dataRoot))).isEqualTo(TrackingUris.DEFAULT);
    }

    @Test
    void objectStoreDataRootWarnsAndLeavesARelativeUriRelative() {
        assertThat(anchor("filedb:x.db", Location.of("s3://bucket/data"))).isEqualTo("filedb:x.db");
        assertThat(warnings).singleElement().asString()
                .contains("s3://bucket/data", "sqlite:////tmp/mlruns.db", "HTTP(S)", "working directory");
    }

    @Test
    void objectStoreDataRootWithAnAbsoluteOrRemoteUriDoesNotWarn() {
        assertThat(anchor("filedb:/var/lib/x.db", Location.of("s3://bucket/data"))).isEqualTo("filedb:/var/lib/x.db");
        assertThat(anchor("memory:", Location.of("s3://bucket/data"))).isEqualTo("memory:");
        assertThat(warnings).isEmpty();
    }

    @Test
    void replacingAProviderServesItsSchemesInsteadOfTheFoundOne() {
        RunStoreProvider other = new FileDbProvider() {
            @Override
            public Optional<String> anchor(String trackingUri, Path directory) {
                return Optional.of("filedb:/replaced.db");
            }
        };
        TrackingAdapters replaced = adapters.replacing(other);
        assertThat(replaced.trackingSchemes()).containsExactly("filedb", "memory");
        assertThat(replaced.anchor("filedb:x.db", dataRoot)).contains("filedb:/replaced.db");
        assertThat(adapters.anchor("filedb:x.db", dataRoot)).contains("filedb:" + dataRoot.toAbsolutePath().resolve("x.db"));
        assertThat(replaced.databaseFile("filedb:x.db")).isEmpty();
    }
}
