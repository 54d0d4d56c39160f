package org.cropcast.pipeline.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/** The one parser of the configuration's enumerated values: a value's config name is its lower-case name. */
final class ConfigEnums {
    private ConfigEnums() {}

    /** The config names of an enum's values, in declaration order. */
    static <E extends Enum<E>> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    static <E extends Enum<E>> E of(Class<E> type, String key, String configName) {
        if (configName != null) {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(configName.trim())) {
                    return value;
                }
            }
        }
        List<String> names = names(type);
        throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, key + ": unknown value '" + configName + "' (expected "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1) + ")");
    }
}
