package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TestRunId {
    @Test
    void acceptsLettersDigitsDashAndUnderscoreUpTo256() {
        assertThat(RunId.of("0123456789abcdef0123456789ABCDEF").value()).isEqualTo("0123456789abcdef0123456789ABCDEF");
        assertThat(RunId.of("run_1-a").value()).isEqualTo("run_1-a");
        assertThat(RunId.of("x".repeat(256)).value()).hasSize(256);
    }

    @Test
    void refusesEmptyTooLongAndOtherCharacters() {
        for (String bad : new String[] {"", "x".repeat(257), "a.b", "a/b", "a b", "é", "a\u0000", "run'1", "Ⅻ", "٣"}) {
            assertThatThrownBy(() -> RunId.of(bad)).as(bad).isInstanceOf(CropcastException.class)
                    .hasMessageContaining("expected letters, digits, '-' or '_'");
        }
    }

    @Test
    void randomIdsAreUuid4HexAsMlflowMakesThem() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            String id = RunId.random(random).value();
            assertThat(id).matches("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
        }
        assertThat(RunId.random(new Random(1))).isEqualTo(RunId.random(new Random(1)));
        assertThat(RunId.random(new Random(1))).isNotEqualTo(RunId.random(new Random(2)));
    }
}
