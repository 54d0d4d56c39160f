package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestTerminalText {
    @Test
    void terminalEscapeSequencesAreShownVisibly() {
        assertThat(TerminalText.visible("a\u001b[2Jb")).isEqualTo("a\\u001B[2Jb");
        assertThat(TerminalText.visible("\u001b]0;title\u0007")).isEqualTo("\\u001B]0;title\\u0007");
        assertThat(TerminalText.visible("c1\u009b31m")).isEqualTo("c1\\u009B31m");
        assertThat(TerminalText.visible("del\u007f")).isEqualTo("del\\u007F");
    }

    @Test
    void lineBreaksNeverPassThrough() {
        assertThat(TerminalText.visible("runs/x\n  run id:    SPOOF")).isEqualTo("runs/x\\n  run id:    SPOOF").doesNotContain("\n");
        assertThat(TerminalText.visible("a\rb\tc")).isEqualTo("a\\rb\\tc");
        assertThat(TerminalText.visible("a\u2028b\u2029c\u0085d")).isEqualTo("a\\u2028b\\u2029c\\u0085d");
    }

    @Test
    void bidiOverridesAndInvisibleFormattingAreShownVisibly() {
        for (int c : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C,
                0x200B, 0xFEFF}) {
            assertThat(TerminalText.visible("x" + Character.toString(c) + "y")).isEqualTo("x" + String.format("\\u%04X", c) + "y");
        }
    }

    @Test
    void printableTextOfAnyScriptIsKept() {
        String text = "Côte d'Ivoire — Ελλάδα 日本 😀 C:\\x 100%";
        assertThat(TerminalText.visible(text)).isSameAs(text);
        assertThat(TerminalText.visible(null)).isEqualTo("null");
    }

    @Test
    void everyC0AndC1ControlIsEscaped() {
        for (int c = 0; c < 0xA0; c++) {
            if (c >= 0x20 && c < 0x7F) {
                continue;
            }
            assertThat(TerminalText.visible(Character.toString(c))).as("U+%04X", c).startsWith("\\").hasSizeGreaterThan(1);
        }
    }
}
