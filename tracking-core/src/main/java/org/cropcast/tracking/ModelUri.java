package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code models:/} URI in one of MLflow's three forms: {@code models:/<model id>} (a
 * logged model), {@code models:/NAME/VERSION} and {@code models:/NAME@ALIAS} (a registered
 * version). Anything else is {@link ModelErrorCode#INVALID_MODEL_URI}.
 */
public record ModelUri(Optional<ModelId> modelId, Optional<String> name, Optional<Integer> version, Optional<String> alias) {
    public static final String PREFIX = "models:/";
    private static final Pattern MODEL_ID = Pattern.compile("m-[0-9a-f]{32}");
    private static final Pattern BY_VERSION = Pattern.compile("([^/@]+)/([0-9]+)");
    private static final Pattern BY_ALIAS = Pattern.compile("([^/@]+)@([\\w-]+)");

    public ModelUri {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(alias, "alias is null");
    }

    public static ModelUri parse(String uri) {
        requireNonNull(uri, "uri is null");
        String shown = Redactor.truncateForMessage(uri);
        if (!uri.startsWith(PREFIX)) {
            throw invalid(shown);
        }
        String rest = uri.substring(PREFIX.length());
        if (MODEL_ID.matcher(rest).matches()) {
            return new ModelUri(Optional.of(ModelId.of(rest)), Optional.empty(), Optional.empty(), Optional.empty());
        }
        Matcher v = BY_VERSION.matcher(rest);
        if (v.matches()) {
            int version;
            try {
                version = Integer.parseInt(v.group(2));
            } catch (NumberFormatException e) {
                throw invalid(shown);
            }
            return new ModelUri(Optional.empty(), Optional.of(v.group(1)), Optional.of(version), Optional.empty());
        }
        Matcher a = BY_ALIAS.matcher(rest);
        if (a.matches()) {
            return new ModelUri(Optional.empty(), Optional.of(a.group(1)), Optional.empty(), Optional.of(a.group(2)));
        }
        throw invalid(shown);
    }

    private static CropcastException invalid(String shown) {
        return new CropcastException(ModelErrorCode.INVALID_MODEL_URI, "invalid model URI '" + shown
                + "': expected models:/<model id> (m-<32 hex>), models:/NAME/VERSION or models:/NAME@ALIAS");
    }

    @Override
    public String toString() {
        if (modelId.isPresent()) {
            return PREFIX + modelId.get();
        }
        return PREFIX + name.orElseThrow() + version.map(n -> "/" + n).orElseGet(() -> "@" + alias.orElseThrow());
    }
}
