package org.cropcast.pipeline.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;

/**
 * Reads one experiment's YAML configuration into a {@link PipelineConfig}: parses it (syntax
 * errors carry line and column), rejects duplicate and unknown keys (with a "did you mean"),
 * applies {@code --set key=value} overrides, binds it strictly (no string-to-number coercion, no
 * float-to-integer truncation), fills {@code data_root} from {@code INPUT_DATA_DIR} and the
 * defaults ({@link ConfigDefaults}), and validates it ({@link ConfigValidator}). Every error is a
 * one-line {@link CropcastException} naming the file, the key and the rule.
 */
public final class ConfigLoader {
    /** Larger files are refused before they are parsed. */
    public static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private static final ConfigSchema SCHEMA = ConfigSchema.of(PipelineConfig.class);

    private final YAMLMapper mapper;
    private final Map<String, String> environment;

    /** @param environment the process environment (injected; {@code INPUT_DATA_DIR}, {@code MLFLOW_TRACKING_URI}) */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.mapper = strictMapper();
    }

    static YAMLMapper strictMapper() {
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // numbers and booleans may stand where text is expected (a column named 2024), not the reverse
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return mapper;
    }

    /** Loads a configuration file; relative paths in it resolve against its directory. */
    public PipelineConfig load(Path file, List<String> overrides) {
        String source = file.toString();
        String text = read(file, source);
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(file.toAbsolutePath());
        return parse(source, text, base, overrides);
    }

    /**
     * Parses configuration text.
     *
     * @param source how errors name the text (its file name)
     * @param baseDirectory where a relative {@code data_root} resolves
     */
    public PipelineConfig parse(String source, String text, Path baseDirectory, List<String> overrides) {
        source = Redactor.redact(source);
        ObjectNode root = parseTree(source, text);
        for (String override : overrides) {
            applyOverride(root, override);
        }
        rejectUnknownKeys(source, root, SCHEMA, "");
        rejectControlCharacters(source, root, "");
        ConfigDefaults.apply(root, environment, baseDirectory);
        PipelineConfig resolved = bind(source, root);
        ConfigValidator.validate(source, resolved);
        return resolved;
    }

    private static String read(Path file, String source) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw error(AppErrorCode.CONFIG_UNREADABLE, source + ": cannot read the configuration: it is a directory");
            }
            // the limit counts the bytes read, not the size the file reports (a device such as /dev/zero reports 0)
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = org.cropcast.tracking.BoundedReads.readAtMost(in, (int) MAX_CONFIG_BYTES, () -> error(AppErrorCode.CONFIG_UNREADABLE,
                        source + ": cannot read the configuration: it is larger than " + MAX_CONFIG_BYTES / 1024 + " KiB"));
            }
        } catch (NoSuchFileException e) {
            throw new CropcastException(AppErrorCode.CONFIG_NOT_FOUND, source + ": configuration file not found", e);
        } catch (AccessDeniedException e) {
            throw new CropcastException(AppErrorCode.CONFIG_UNREADABLE, source + ": cannot read the configuration: permission denied", e);
        } catch (IOException e) {
            throw new CropcastException(AppErrorCode.CONFIG_UNREADABLE,
                    source + ": cannot read the configuration: " + Redactor.truncateForMessage(String.valueOf(e.getMessage())), e);
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw error(AppErrorCode.CONFIG_UNREADABLE, source + ": not a YAML text file (it contains NUL bytes)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CropcastException(AppErrorCode.CONFIG_UNREADABLE, source + ": not a YAML text file (it is not valid UTF-8)", e);
        }
    }

    private ObjectNode parseTree(String source, String text) {
        if (text.isBlank()) {
            throw error(AppErrorCode.CONFIG_SYNTAX, source + ": the configuration is empty");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw error(AppErrorCode.CONFIG_SYNTAX, source + ": the configuration is empty (only comments)");
        }
        if (!tree.isObject()) {
            throw error(AppErrorCode.CONFIG_SYNTAX, source + ": the configuration must be a mapping of keys to values, not a "
                    + describe(tree));
        }
        return (ObjectNode) tree;
    }

    private static CropcastException syntaxError(String source, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1
                ? source
                : source + ":" + location.getLineNr() + ":" + location.getColumnNr();
        String problem = firstLine(e.getOriginalMessage());
        if (problem.startsWith("Duplicate field")) {
            return new CropcastException(AppErrorCode.CONFIG_SYNTAX, where + ": duplicate key " + problem.substring("Duplicate field ".length()), e);
        }
        return new CropcastException(AppErrorCode.CONFIG_SYNTAX, where + ": YAML syntax error: " + problem, e);
    }

    // --- overrides -------------------------------------------------------------------------

    private void applyOverride(ObjectNode root, String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw error(AppErrorCode.INVALID_OVERRIDE, "--set '" + Redactor.truncateForMessage(Redactor.redact(override))
                    + "': expected KEY=VALUE (for example --set detrend=quadratic or --set target.yield_column=yield)");
        }
        String key = override.substring(0, equals).strip();
        String valueText = override.substring(equals + 1);
        String culprit = "--set " + Redactor.truncateForMessage(key);
        String[] segments = key.split("\\.", -1);
        JsonNode value = parseOverrideValue(culprit, valueText);

        JsonNode node = root;
        ConfigSchema schema = SCHEMA;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty()) {
                throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": empty key segment");
            }
            if (schema == null) {
                throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": '" + path + "' holds a value, not keys");
            }
            Optional<ConfigSchema.Field> field = schema.field(segment);
            if (field.isEmpty()) {
                throw error(AppErrorCode.CONFIG_UNKNOWN_KEY, culprit + ": unknown key '" + join(path, segment) + "'"
                        + Suggestions.didYouMean(segment, schema.keys()));
            }
            appendKey(path, segment);
            ObjectNode object = (ObjectNode) node;
            if (last) {
                object.set(segment, value);
                return;
            }
            ConfigSchema.Field f = field.get();
            if (f.list()) {
                // key.N.child: index into a list of mappings
                String index = segments[++i];
                int n;
                try {
                    n = Integer.parseInt(index);
                } catch (NumberFormatException e) {
                    throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": '" + path + "' is a list: expected an index after it, got '" + index + "'");
                }
                JsonNode list = object.get(segment);
                if (list == null || !list.isArray() || n < 0 || n >= list.size()) {
                    throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": '" + path + "' has no element " + index);
                }
                path.append('.').append(n);
                if (i == segments.length - 1) {
                    ((ArrayNode) list).set(n, value);
                    return;
                }
                node = list.get(n);
                if (!node.isObject()) {
                    throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": '" + path + "' is not a mapping");
                }
                schema = f.nested().orElse(null);
                continue;
            }
            JsonNode child = object.get(segment);
            if (child == null || child.isNull()) {
                child = object.putObject(segment);
            } else if (!child.isObject()) {
                throw error(AppErrorCode.INVALID_OVERRIDE, culprit + ": '" + path + "' is a " + describe(child) + ", not a mapping");
            }
            node = child;
            schema = f.nested().orElse(null);
        }
    }

    private JsonNode parseOverrideValue(String culprit, String valueText) {
        if (valueText.isEmpty()) {
            return NullNode.getInstance();
        }
        try {
            JsonNode value = mapper.readTree(valueText);
            return value == null || value.isMissingNode() ? JsonNodeFactory.instance.textNode(valueText) : value;
        } catch (JsonProcessingException e) {
            // not a YAML value (for example "Corn: 2024 run"): take it as text
            return JsonNodeFactory.instance.textNode(valueText);
        }
    }

    // --- unknown keys and binding --------------------------------------------------------------

    private static void rejectUnknownKeys(String source, JsonNode node, ConfigSchema schema, String prefix) {
        if (!node.isObject()) {
            return; // a wrong shape is reported by binding
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            Optional<ConfigSchema.Field> field = schema.field(key);
            if (field.isEmpty()) {
                throw error(AppErrorCode.CONFIG_UNKNOWN_KEY, source + ": unknown key '" + Redactor.truncateForMessage(path) + "'"
                        + Suggestions.didYouMean(key, schema.keys()) + "; known keys here: " + String.join(", ", schema.keys()));
            }
            Optional<ConfigSchema> nested = field.get().nested();
            if (nested.isEmpty()) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (field.get().list() && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    rejectUnknownKeys(source, value.get(i), nested.get(), path + "." + i);
                }
            } else if (!field.get().list()) {
                rejectUnknownKeys(source, value, nested.get(), path);
            }
        }
    }

    /** Text values with control characters (NUL, newlines, escapes, C1 controls, bidi overrides) never reach a path, a tag or a terminal. */
    private static void rejectControlCharacters(String source, JsonNode node, String path) {
        if (node.isTextual()) {
            // every character a terminal interprets: C0 and C1 controls, DEL, bidi overrides, line separators
            node.asText().codePoints().filter(org.cropcast.tracking.TerminalText::isInterpreted).findFirst().ifPresent(c -> {
                throw error(AppErrorCode.CONFIG_INVALID_VALUE, source + ": key '" + path
                        + "': must not contain control characters (found U+" + String.format("%04X", c) + ")");
            });
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> rejectControlCharacters(source, e.getValue(),
                    path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectControlCharacters(source, node.get(i), path + "." + i);
            }
        }
    }

    private PipelineConfig bind(String source, ObjectNode root) {
        try {
            return mapper.treeToValue(root, PipelineConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new CropcastException(AppErrorCode.CONFIG_UNKNOWN_KEY, source + ": unknown key '" + path(e) + "'"
                    + Suggestions.didYouMean(e.getPropertyName(), e.getKnownPropertyIds().stream().map(String::valueOf).toList()), e);
        } catch (MismatchedInputException e) {
            String expected = expectedType(e.getTargetType());
            return throwWrongType(source, root, e, expected);
        } catch (JsonProcessingException e) {
            throw new CropcastException(AppErrorCode.CONFIG_WRONG_TYPE,
                    source + ": key '" + pathOf(e) + "': " + firstLine(e.getOriginalMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new CropcastException(AppErrorCode.CONFIG_WRONG_TYPE, source + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static PipelineConfig throwWrongType(String source, ObjectNode root, MismatchedInputException e, String expected) {
        String path = path(e);
        JsonNode given = root.at("/" + path.replace('.', '/'));
        String got = given == null || given.isMissingNode() ? "" : ", got " + describeValue(given);
        throw new CropcastException(AppErrorCode.CONFIG_WRONG_TYPE,
                source + ": key '" + path + "': expected " + expected + got, e);
    }

    private static String expectedType(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) {
            return "a mapping of keys";
        }
        return type.getSimpleName();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                appendKey(path, reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('.').append(reference.getIndex());
            }
        }
        return path.toString();
    }

    private static String pathOf(JsonProcessingException e) {
        return e instanceof JsonMappingException m ? path(m) : "?";
    }

    private static void appendKey(StringBuilder path, String key) {
        if (path.length() > 0) {
            path.append('.');
        }
        path.append(key);
    }

    private static String join(CharSequence prefix, String key) {
        return prefix.length() == 0 ? key : prefix + "." + key;
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "list";
        }
        if (node.isObject()) {
            return "mapping";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return "text value";
    }

    private static String describeValue(JsonNode node) {
        if (node.isTextual()) {
            return "'" + Redactor.truncateForMessage(Redactor.redact(node.asText())) + "'";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return "a " + describe(node);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown problem";
        }
        int newline = message.indexOf('\n');
        return Redactor.truncateForMessage((newline < 0 ? message : message.substring(0, newline)).strip());
    }

    private static CropcastException error(AppErrorCode code, String message) {
        return new CropcastException(code, message);
    }

    /** For tests: the keys the top level accepts. */
    static List<String> topLevelKeys() {
        return new ArrayList<>(SCHEMA.keys());
    }
}
