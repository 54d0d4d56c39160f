package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.stages.ProgressListener;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final StringWriter err = new StringWriter();

    private ProcessContext context(boolean terminal) {
        return new ProcessContext(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), Clock.systemUTC(),
                new java.util.SplittableRandom(1), terminal, false, "tester");
    }

    @Test
    void aBarRedrawnInPlaceOnATerminal() {
        ProgressListener progress = Progress.choose(context(true), new PrintWriter(err, true), false);
        assertThat(progress).isInstanceOf(Progress.Bar.class);
        progress.start("hindcast", 3);
        progress.step("fold 2001");
        progress.step("fold 2002");
        progress.step("fold 2003");
        progress.finish();
        String text = err.toString();
        assertThat(text).contains("\rhindcast 100% [").contains("3/3").contains("fold 2003").endsWith("\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1); // one line, redrawn with carriage returns
    }

    @Test
    void plainLinesOtherwise() {
        ProgressListener progress = Progress.choose(context(false), new PrintWriter(err, true), false);
        progress.start("forecast", 2);
        progress.step("region A");
        progress.step("region B");
        progress.finish();
        assertThat(err.toString()).doesNotContain("\r").startsWith("forecast: 2 steps\nforecast: [1/2] region A\nforecast: [2/2] region B\n")
                .containsPattern("forecast: done in \\d+\\.\\ds\n$");
    }

    @Test
    void nothingWhenDisabled() {
        assertThat(Progress.choose(context(true), new PrintWriter(err, true), true)).isSameAs(ProgressListener.NONE);
    }
}
