package org.cropcast.pipeline.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.Redactor;

/**
 * The resolved configuration as a document (nested maps in the YAML's key order, absent keys
 * left out), as {@code config_resolved.yaml} records it. Text values pass through
 * {@link Redactor#redact}, so a credential inside a URI never reaches the file.
 */
public final class ConfigDocuments {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT = new TypeReference<>() {};

    private ConfigDocuments() {}

    public static Map<String, Object> toDocument(PipelineConfig config) {
        LinkedHashMap<String, Object> document = MAPPER.convertValue(config, DOCUMENT);
        @SuppressWarnings("unchecked")
        Map<String, Object> redacted = (Map<String, Object>) redact(document);
        return redacted;
    }

    private static Object redact(Object value) {
        if (value instanceof String s) {
            return Redactor.redact(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), redact(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigDocuments::redact).toList();
        }
        return value;
    }
}
