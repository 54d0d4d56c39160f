package org.cropcast.pipeline.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.TestStages;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep} in-process: bad input fails before anything is created; {@code --print-commands}
 * prints the children's commands, which run on their own (as a scheduler would run them), and
 * {@code sweep finish} completes the parent from them. The children of a full sweep are processes:
 * see SweepProcessesTest.
 */
class SweepCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(Result result, int exitCode) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.err().lines().toList()).as(result.toString()).hasSize(1);
        assertThat(result.err()).startsWith("cropcast: ");
    }

    private static java.util.Set<Thread> heartbeatThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("cropcast-heartbeat"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Every heartbeat thread that was not there before has ended: none is left beating a run whose
     * store the command has closed (the review's "heartbeat of run ... not recorded" warnings). The
     * join only bounds the wait for a thread that is on its way out.
     */
    private static void assertNoNewHeartbeatThread(java.util.Set<Thread> before) throws InterruptedException {
        for (Thread thread : heartbeatThreads()) {
            if (!before.contains(thread)) {
                thread.join(Duration.ofSeconds(10).toMillis());
                assertThat(thread.isAlive()).as(thread.getName()).isFalse();
            }
        }
    }

    @Test
    void badInputFailsBeforeAnyRunOrDirectoryIsCreated() throws Exception {
        Path config = CliFixture.write(dir.resolve("data"), "memory:sweep");
        CliHarness cli = new CliHarness(Map.of(), TestStages.module());
        Result badValue = cli.run("sweep", "hindcast", "--config", config.toString(), "--grid", "detrend=linear,wiggly");
        assertOneLineError(badValue, 2);
        assertThat(badValue.err()).contains("combination detrend=wiggly:", "wiggly");
        Result badKey = cli.run("sweep", "hindcast", "--config", config.toString(), "--grid", "detrendd=linear");
        assertOneLineError(badKey, 2);
        assertThat(badKey.err()).contains("detrendd");
        assertOneLineError(cli.run("sweep", "hindcast", "--config", config.toString()), 2);
        assertOneLineError(cli.run("sweep", "hindcast", "--config", config.toString(), "--grid", "detrend=linear", "--parallel", "0"), 2);
        assertOneLineError(cli.run("sweep", "hindcast", "--config", config.toString(), "--grid", "detrend=linear", "--resume",
                "0123456789abcdef0123456789abcdef"), 2);
        assertOneLineError(cli.run("sweep", "finish", "0123456789abcdef0123456789abcdef", "--config", config.toString()), 2);
        assertThat(cli.ok("runs", "list", "--tracking-uri", "memory:sweep").out()).contains("No runs");
        assertThat(dir.resolve("data/runs")).doesNotExist();
    }

    @Test
    void printedCommandsRunAnywhereAndFinishCompletesTheSweep() throws Exception {
        Path config = DemoDataGenerator.write(dir.resolve("data"), 42);
        Files.writeString(config, Files.readString(config, UTF_8).replaceFirst("(?m)^feature_start_year: .*$", "feature_start_year: 2010"));
        CliHarness cli = new CliHarness(Map.of());
        java.util.Set<Thread> heartbeats = heartbeatThreads();
        Result printed = cli.ok("sweep", "hindcast", "--config", config.toString(), "--grid", "detrend=linear,quadratic", "--print-commands");
        // the parent stays RUNNING, but its heartbeat stopped before the command closed its store
        assertNoNewHeartbeatThread(heartbeats);
        List<String> commands = printed.out().lines().toList();
        assertThat(commands).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("cropcast run hindcast --config ")
                .contains("--parent-run-id ", "--set detrend="));
        String parent = printed.err().replaceAll("(?s).*sweep ([0-9a-f]{32}):.*", "$1");
        assertThat(printed.err()).contains("cropcast sweep finish " + parent);

        Result early = cli.run("sweep", "finish", parent, "--config", config.toString());
        assertOneLineError(early, 3);
        assertNoNewHeartbeatThread(heartbeats); // the reopened parent, left RUNNING by the failure, stopped beating too
        assertThat(early.err()).contains("2 of 2 sweep children did not finish");

        for (String command : commands) {
            String[] args = command.substring("cropcast ".length()).split(" ");
            cli.ok(Arrays.copyOf(args, args.length));
        }
        Result finished = cli.ok("sweep", "finish", parent, "--config", config.toString());
        assertThat(finished.out()).contains("sweep finished: 2 of 2 children FINISHED.", "best:      detrend=", "run id:    " + parent);

        String uri = "sqlite:///" + dir.resolve("data/mlruns.db");
        List<String> list = cli.ok("runs", "list", "--tracking-uri", uri).out().lines().skip(1).toList();
        assertThat(list).hasSize(3);
        assertThat(list.get(0)).startsWith(parent).contains("sweep", "FINISHED");
        assertThat(list.subList(1, 3)).allSatisfy(line -> assertThat(line).startsWith("  ").contains("hindcast", "FINISHED"));
        Result show = cli.ok("runs", "show", parent, "--tracking-uri", uri);
        assertThat(show.out()).contains("sweep/ranking.csv", "sweep/ranking.parquet", "sweep.yaml", "cropcast.sweep.best_run_id",
                "best.model.national.rmse", "report/sweep.html");
        // the ranking report: both children, the best first, with its metric as the parent recorded it
        Path output = dir.resolve("report");
        cli.ok("runs", "report", parent, "--tracking-uri", uri, "--output", output.toString());
        org.jsoup.nodes.Document report = org.jsoup.Jsoup.parse(output.resolve("report/sweep.html").toFile(), "UTF-8");
        assertThat(report.select("table.ranking tbody tr")).hasSize(2);
        com.fasterxml.jackson.databind.JsonNode shown = new com.fasterxml.jackson.databind.json.JsonMapper()
                .readTree(cli.ok("runs", "show", parent, "--tracking-uri", uri, "--json").out());
        List<String> best = report.select("table.ranking tbody tr").get(0).children().stream().map(org.jsoup.nodes.Element::text).toList();
        assertThat(best.get(0)).isEqualTo("1");
        assertThat(best.get(1)).isEqualTo(shown.get("tags").get("cropcast.sweep.best.detrend").asText());
        // the metric as the terminal printed it, and as the parent recorded it
        assertThat(finished.out()).contains("(model.national.rmse " + best.get(3) + ", run " + best.get(5) + ")");
        assertThat(Double.parseDouble(best.get(3))).isCloseTo(
                shown.get("metrics").get("best.model.national.rmse").get("value").asDouble(), org.assertj.core.api.Assertions.within(1e-5));
        assertThat(best.get(5)).isEqualTo(shown.get("tags").get("cropcast.sweep.best_run_id").asText());
    }
}
