package org.cropcast.tracking.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cropcast.tracking.ModelRegistries;
import org.cropcast.tracking.ModelRegistries.VersionRef;

/**
 * The {@code mlflow.modelVersions} tag of a logged model: the JSON list of registered versions made
 * from it, which Python MLflow's {@code register_model} appends to. Read with Jackson (it may have
 * been written by Python), written as Python's {@code json.dumps} writes it.
 */
final class MlflowModelVersionsTag {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MlflowModelVersionsTag() {}

    /** The tag value after adding one version to the existing value (absent or unreadable: a new list). */
    static String append(Optional<String> existing, String name, int version) {
        List<VersionRef> refs = new ArrayList<>(parse(existing));
        VersionRef added = new VersionRef(name, version);
        if (!refs.contains(added)) {
            refs.add(added);
        }
        return ModelRegistries.modelVersionsTag(refs);
    }

    static List<VersionRef> parse(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return List.of();
        }
        List<VersionRef> refs = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(value.get());
            if (root != null && root.isArray()) {
                for (JsonNode entry : root) {
                    JsonNode name = entry.get("name");
                    JsonNode version = entry.get("version");
                    if (name != null && version != null) {
                        refs.add(new VersionRef(name.asText(), version.asInt()));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            return List.of(); // a foreign, unreadable value is replaced, as Python would fail to extend it
        }
        return refs;
    }
}
