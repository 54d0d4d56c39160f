package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The runtime a run executed on: Java version and vendor, OS and architecture (from system
 * properties) and the versions of key libraries (from their jar manifests). Never environment
 * variables, never secrets.
 *
 * @param libraries library name to version ({@value GitInfo#UNKNOWN} when the jar says nothing)
 */
public record EnvironmentInfo(String javaVersion, String javaVendor, String osName, String osArch, Map<String, String> libraries) {
    public EnvironmentInfo {
        requireNonNull(javaVersion, "javaVersion is null");
        requireNonNull(javaVendor, "javaVendor is null");
        requireNonNull(osName, "osName is null");
        requireNonNull(osArch, "osArch is null");
        libraries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(libraries, "libraries is null")));
    }

    /**
     * The current JVM, with the version of each library read from the manifest of the jar holding
     * the given class ({@code Implementation-Version}, else {@code Bundle-Version}).
     */
    public static EnvironmentInfo current(Map<String, Class<?>> libraries) {
        Map<String, String> versions = new LinkedHashMap<>();
        libraries.forEach((name, type) -> versions.put(name, versionOf(type).orElse(GitInfo.UNKNOWN)));
        return new EnvironmentInfo(
                System.getProperty("java.version", GitInfo.UNKNOWN),
                System.getProperty("java.vendor", GitInfo.UNKNOWN),
                System.getProperty("os.name", GitInfo.UNKNOWN),
                System.getProperty("os.arch", GitInfo.UNKNOWN),
                versions);
    }

    /** The version in the manifest of the jar that holds {@code type}, if it has one. */
    public static Optional<String> versionOf(Class<?> type) {
        Package pkg = type.getPackage();
        if (pkg != null && pkg.getImplementationVersion() != null) {
            return Optional.of(pkg.getImplementationVersion());
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path jar = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                if (manifest == null) {
                    return Optional.empty();
                }
                Attributes main = manifest.getMainAttributes();
                String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
                if (version == null) {
                    version = main.getValue("Bundle-Version");
                }
                return Optional.ofNullable(version);
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
