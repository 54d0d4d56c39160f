package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT end the run KILLED before the process exits: a child JVM opens a run,
 * this test signals it and reads the journal the child's run store wrote.
 */
class TestRunScopeSignals {
    @TempDir
    Path temp;

    @Test
    void sigtermEndsTheRunKilled() throws Exception {
        assertKilledBy("TERM");
    }

    @Test
    void sigintEndsTheRunKilled() throws Exception {
        assertKilledBy("INT");
    }

    private void assertKilledBy(String signal) throws Exception {
        Path journal = temp.resolve("journal.txt");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", classPath(), RunScopeSignalChild.class.getName(),
                journal.toString(), temp.toString())
                .redirectError(temp.resolve("stderr.txt").toFile())
                .start();
        try {
            String runId = awaitReady(child);
            assertThat(Files.readAllLines(journal)).containsExactly("CREATE " + runId + " RUNNING");
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits after SIG%s", signal).isTrue();
            List<String> lines = Files.readAllLines(journal);
            assertThat(lines).as("journal; child stderr: %s", Files.readString(temp.resolve("stderr.txt")))
                    .containsSubsequence("CREATE " + runId + " RUNNING", "TAG " + runId + " cropcast.end_reason=signal",
                            "END " + runId + " KILLED")
                    .filteredOn(line -> line.startsWith("END ")).hasSize(1);
        } finally {
            child.destroyForcibly();
        }
    }

    private static String awaitReady(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                return line.substring("READY ".length());
            }
        }
        throw new AssertionError("child exited before opening its run (exit " + child.onExit().join().exitValue() + ")");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Core's classes, its test classes and slf4j-api: all the child needs. */
    private static String classPath() throws URISyntaxException {
        return String.join(File.pathSeparator,
                codeSource(RunScope.class), codeSource(RunScopeSignalChild.class), codeSource(org.slf4j.Logger.class));
    }

    private static String codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
