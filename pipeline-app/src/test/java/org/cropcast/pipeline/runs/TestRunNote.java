package org.cropcast.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.model.Skill;
import org.cropcast.pipeline.report.Markdown;
import org.cropcast.pipeline.report.SkillTable;
import org.cropcast.pipeline.stages.StageResult;
import org.junit.jupiter.api.Test;

/**
 * The run description ({@code mlflow.note.content}): a heading and the stage's Markdown, skill
 * tables as pipe tables (not a fenced block); without the stage's own Markdown its lines as a list;
 * cells and text escaped so that a name cannot break the table.
 */
class TestRunNote {
    @Test
    void skillTablesArePipeTables() {
        SkillTable table = new SkillTable();
        table.add("model", "national", new Skill(16, 0.25, 0.2, 3.5, -0.01, 0.8), 4.2);
        table.add("trend", "national", new Skill(16, 0.5, 0.4, 7.0, 0.02, Double.NaN), Double.NaN);
        table.addComparison("NASS|x", "aug", "national", new Skill(10, 0.3, 0.2, 1, 0, 0.5), new Skill(10, 0.2, 0.1, 1, 0, 0.6),
                new Skill(10, 0.6, 0.5, 1, 0, 0.1));
        List<String> markdown = new ArrayList<>(List.of("- hindcast 2006\\-2022"));
        markdown.add("");
        markdown.addAll(table.markdown());
        String note = StageLauncher.note("hindcast", new StageResult(table.lines(), markdown));

        assertThat(note).startsWith("### cropcast hindcast\n\n- hindcast 2006\\-2022\n").doesNotContain("```");
        assertThat(note.lines().toList()).contains(
                "| source | scope | n | RMSE | MAE | MAPE% | bias | R2 | nRMSE% |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|",
                "| model | national | 16 | 0.250 | 0.200 | 3.50 | -0.010 | 0.800 | 4.20 |",
                "| trend | national | 16 | 0.500 | 0.400 | 7.00 | 0.020 | - | - |",
                "| NASS\\|x | aug | national | 10 | 0.300 | 0.200 | 0.600 | yes |");
    }

    @Test
    void aStageWithoutMarkdownIsListedLineByLine() {
        String note = StageLauncher.note("fit-production", new StageResult(List.of("production model: 3 regions", "", "saved /r/model_*x*")));
        assertThat(note).isEqualTo("### cropcast fit-production\n\n- production model: 3 regions\n- saved /r/model\\_\\*x\\*\n");
    }

    @Test
    void tablesRefuseRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> Markdown.table(List.of("a", "b"), List.of(Markdown.Align.LEFT, Markdown.Align.LEFT), List.of(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected 2 cells, got 1");
        assertThat(Markdown.text("a\nb <c>")).isEqualTo("a b \\<c\\>");
    }
}
