package org.cropcast.pipeline.runs;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.cropcast.tracking.EnvironmentInfo;
import org.cropcast.tracking.GitInfo;

/**
 * The versions of the key libraries, recorded as run tags and in {@code metadata.yaml}. In the
 * fat jar every class shares one manifest, so versions come from each library's
 * {@code META-INF/maven/<group>/<artifact>/pom.properties} (kept by the shade plugin) or from a
 * version constant the library publishes.
 */
public final class LibraryVersions {
    private LibraryVersions() {}

    /** cropcast's own version, filtered in at build time ({@code unknown} outside a build). */
    public static String cropcast() {
        Properties properties = new Properties();
        try (InputStream in = LibraryVersions.class.getResourceAsStream("/cropcast-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    static EnvironmentInfo environment() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("cropcast", cropcast());
        versions.put("picocli", picocli.CommandLine.VERSION);
        versions.put("jackson-databind", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        versions.put("sqlite-jdbc", pom("org.xerial", "sqlite-jdbc"));
        versions.put("mlflow-client", pom("org.mlflow", "mlflow-client"));
        versions.put("aws-sdk-s3", pom("software.amazon.awssdk", "s3"));
        versions.put("logback-classic", pom("ch.qos.logback", "logback-classic"));
        EnvironmentInfo jvm = EnvironmentInfo.current(Map.of());
        return new EnvironmentInfo(jvm.javaVersion(), jvm.javaVendor(), jvm.osName(), jvm.osArch(), versions);
    }

    static String pom(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = LibraryVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return GitInfo.UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", GitInfo.UNKNOWN);
        } catch (IOException e) {
            return GitInfo.UNKNOWN;
        }
    }
}
