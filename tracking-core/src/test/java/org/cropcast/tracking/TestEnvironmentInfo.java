package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestEnvironmentInfo {
    @Test
    void libraryVersionsComeFromJarManifests() {
        EnvironmentInfo env = EnvironmentInfo.current(Map.of("slf4j-api", org.slf4j.Logger.class,
                "assertj-core", org.assertj.core.api.Assertions.class, "cropcast-core", RunScope.class));
        assertThat(env.libraries()).containsEntry("slf4j-api", "2.0.17")
                .containsEntry("assertj-core", "3.27.7")
                .containsEntry("cropcast-core", GitInfo.UNKNOWN);
        assertThat(env.javaVersion()).isEqualTo(System.getProperty("java.version"));
        assertThat(env.osArch()).isEqualTo(System.getProperty("os.arch"));
    }

    @Test
    void jdkClassesHaveNoJarVersion() {
        assertThat(EnvironmentInfo.versionOf(String.class)).isEmpty();
    }
}
