package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cropcast.pipeline.stages.Stage;

/** The stages by name ({@code hindcast}, {@code fit-production}, {@code forecast}). */
public final class StageRegistry {
    private final Map<String, Stage> stages;

    public StageRegistry(Map<String, Stage> stages) {
        this.stages = new TreeMap<>(requireNonNull(stages, "stages is null"));
    }

    public Optional<Stage> stage(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    public java.util.Set<String> names() {
        return stages.keySet();
    }
}
