package org.cropcast.pipeline.stages;

import java.util.List;

/**
 * What a stage reports back: the lines the command line prints (e.g. a skill table, aligned), and
 * the same summary as Markdown for the run's description ({@code mlflow.note.content}, rendered by
 * the MLflow UI), empty when the stage has none (the launcher then lists the lines).
 */
public record StageResult(List<String> summaryLines, List<String> markdown) {
    public StageResult {
        summaryLines = List.copyOf(summaryLines);
        markdown = List.copyOf(markdown);
    }

    /** A summary without its own Markdown. */
    public StageResult(List<String> summaryLines) {
        this(summaryLines, List.of());
    }
}
