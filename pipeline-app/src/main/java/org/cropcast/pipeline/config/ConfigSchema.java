package org.cropcast.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key structure of a configuration record, read from its components' {@link JsonProperty}
 * names: which keys a mapping accepts and what each holds (a scalar, a nested mapping, or a list
 * of mappings). Used to reject unknown keys with a suggestion and to check {@code --set} paths.
 */
final class ConfigSchema {
    /** What one key holds. */
    record Field(String key, Type type, Optional<ConfigSchema> nested, boolean list) {}

    private final Map<String, Field> fields = new LinkedHashMap<>();

    private ConfigSchema(Class<?> recordType) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            String key = property == null ? component.getName() : property.value();
            Type type = component.getGenericType();
            boolean list = false;
            Class<?> element = component.getType();
            if (List.class.isAssignableFrom(component.getType()) && type instanceof ParameterizedType parameterized) {
                list = true;
                Type argument = parameterized.getActualTypeArguments()[0];
                element = argument instanceof Class<?> c ? c : Object.class;
            }
            Optional<ConfigSchema> nested = element.isRecord() ? Optional.of(new ConfigSchema(element)) : Optional.empty();
            fields.put(key, new Field(key, type, nested, list));
        }
    }

    static ConfigSchema of(Class<?> recordType) {
        return new ConfigSchema(recordType);
    }

    Optional<Field> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    List<String> keys() {
        return List.copyOf(fields.keySet());
    }
}
