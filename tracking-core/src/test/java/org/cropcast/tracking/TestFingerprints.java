package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestFingerprints {
    @Test
    void knownDigestAndPrefixThroughAnyStorage() throws Exception {
        MemoryStorage storage = new MemoryStorage();
        Location file = Location.of("memory://data/abc.txt");
        storage.write(file, out -> out.write("abc".getBytes(StandardCharsets.UTF_8)));
        assertThat(Fingerprints.sha256(storage, file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Fingerprints.sha256Prefix(storage, file)).isEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void missingFileIsLocationNotFound() {
        assertThatThrownBy(() -> Fingerprints.sha256Prefix(new MemoryStorage(), Location.of("memory://data/none")))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
    }
}
