package org.cropcast.tracking;

import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow's registry rules shared by every {@link ModelRegistry} (mlflow/utils/validation.py), so all
 * backends accept and reject the same names and aliases with the same messages.
 */
public final class ModelRegistries {
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_ALIAS_LENGTH = 255;
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern VERSION_ALIAS = Pattern.compile("[vV][0-9]+");

    private ModelRegistries() {}

    /** A registered model's name: non-empty, no '/' or ':', no '..' or '.' segment, at most 256 characters. */
    public static String validateName(String name) {
        if (name == null || name.isBlank()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "registered model name is empty");
        }
        String shown = Redactor.truncateForMessage(name);
        if (name.contains("/") || name.contains(":")) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT,
                    "invalid registered model name '" + shown + "': names cannot contain '/' or ':'");
        }
        if (name.equals(".") || name.startsWith("..") || name.length() > MAX_NAME_LENGTH) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "invalid registered model name '" + shown
                    + "': it must not be '.' or start with '..', and has at most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    /** An alias: letters, digits, '_', '-'; not {@code latest} (any case) and not {@code v<digits>}. */
    public static String validateAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "registered model alias is empty");
        }
        String shown = Redactor.truncateForMessage(alias);
        if (!ALIAS.matcher(alias).matches() || alias.length() > MAX_ALIAS_LENGTH) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "invalid alias '" + shown
                    + "': aliases may only contain letters, digits, '_' and '-' (at most " + MAX_ALIAS_LENGTH + ")");
        }
        if (alias.equalsIgnoreCase("latest") || VERSION_ALIAS.matcher(alias).matches()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT,
                    "alias '" + shown + "' is reserved by MLflow ('latest' and v<number> name versions)");
        }
        return alias;
    }

    /** One entry of the {@value ModelRegistry#MODEL_VERSIONS_TAG} tag. */
    public record VersionRef(String name, int version) {}

    /**
     * The {@value ModelRegistry#MODEL_VERSIONS_TAG} tag value as Python's {@code json.dumps} writes it:
     * {@code [{"name": "m", "version": 1}]}.
     */
    public static String modelVersionsTag(List<VersionRef> versions) {
        StringBuilder out = new StringBuilder("[");
        for (VersionRef ref : versions) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append("{\"name\": \"").append(jsonEscape(ref.name())).append("\", \"version\": ").append(ref.version()).append('}');
        }
        return out.append(']').toString();
    }

    /** Escapes a string for a JSON string literal, as Python's json.dumps (ensure_ascii) does. */
    static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    public static CropcastException registeredModelNotFound(String name) {
        return new CropcastException(ModelErrorCode.REGISTERED_MODEL_NOT_FOUND, "registered model '"
                + Redactor.truncateForMessage(name) + "' does not exist");
    }

    public static CropcastException versionNotFound(String name, int version) {
        return new CropcastException(ModelErrorCode.MODEL_VERSION_NOT_FOUND, "registered model '"
                + Redactor.truncateForMessage(name) + "' has no version " + version);
    }

    public static CropcastException modelNotFound(ModelId id) {
        return new CropcastException(ModelErrorCode.MODEL_NOT_FOUND, "logged model " + id + " does not exist");
    }

    public static CropcastException notReady(ModelId id, LoggedModelStatus status) {
        return new CropcastException(ModelErrorCode.INVALID_MODEL_STATE, "logged model " + id + " is " + status
                + "; only a READY model can be registered");
    }

    public static CropcastException alreadyFinal(ModelId id, LoggedModelStatus status, LoggedModelStatus wanted) {
        return new CropcastException(ModelErrorCode.INVALID_MODEL_STATE, "logged model " + id + " is already " + status
                + "; it cannot become " + wanted);
    }

    /** {@code <experiment artifact location>/models/<model id>/artifacts}, joined as MLflow's append_to_uri_path. */
    public static String modelArtifactLocation(String experimentArtifactLocation, ModelId id) {
        String base = experimentArtifactLocation.endsWith("/") ? experimentArtifactLocation : experimentArtifactLocation + "/";
        return base + "models/" + id.value() + "/artifacts";
    }
}
