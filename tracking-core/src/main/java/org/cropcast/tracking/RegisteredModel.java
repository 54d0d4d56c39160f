package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** A registered model of the model registry, with its aliases (alias to version number) and its tags. */
public record RegisteredModel(String name, long creationTimeMillis, long lastUpdatedTimeMillis, Optional<String> description,
        Map<String, Integer> aliases, Map<String, String> tags) {
    /** A registered model without tags. */
    public RegisteredModel(String name, long creationTimeMillis, long lastUpdatedTimeMillis, Optional<String> description,
            Map<String, Integer> aliases) {
        this(name, creationTimeMillis, lastUpdatedTimeMillis, description, aliases, Map.of());
    }

    public RegisteredModel {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        aliases = Map.copyOf(aliases);
        tags = Map.copyOf(tags);
    }
}
