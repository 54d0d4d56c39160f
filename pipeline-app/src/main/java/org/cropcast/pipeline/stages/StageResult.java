package org.cropcast.pipeline.stages;

import java.util.List;

/** What a stage reports back for the command line to print (e.g. a skill table), one line each. */
public record StageResult(List<String> summaryLines) {
    public StageResult {
        summaryLines = List.copyOf(summaryLines);
    }
}
