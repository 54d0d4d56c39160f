package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.TestStages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run hindcast --parent-run-id}, and {@code runs list} with MLflow's filter, order-by, nesting and {@code --flat}. */
class RunsListSearchTest {
    private static final String URI = "memory:search";

    @TempDir
    Path dir;

    private Path config;
    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        config = CliFixture.write(dir.resolve("data"), URI);
        cli = new CliHarness(Map.of(), TestStages.module());
    }

    private Result fails(String... args) {
        Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err().lines().toList()).as(result.toString()).hasSize(1);
        return result;
    }

    /** The run ids of a table, in order, each with the indentation it was printed with. */
    private static List<String> idColumn(Result list) {
        return list.out().lines().skip(1).map(line -> line.replaceAll("^( *[0-9a-f]{32}).*", "$1")).toList();
    }

    @Test
    void childrenAreIndentedUnderTheirParentUnlessFlat() {
        String parent = cli.ok("run", "hindcast", "--config", config.toString()).runId();
        String quadratic = cli.ok("run", "hindcast", "--config", config.toString(), "--parent-run-id", parent,
                "--set", "detrend=quadratic").runId();
        String linear = cli.ok("run", "hindcast", "--config", config.toString(), "--parent-run-id", parent).runId();
        String other = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "detrend=none").runId();

        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI)))
                .containsExactly(other, parent, "  " + linear, "  " + quadratic);
        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI, "--flat")))
                .containsExactly(other, linear, quadratic, parent);
        // a child whose parent is filtered out stays at the top level
        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI, "--filter", "tags.`mlflow.parentRunId` = '" + parent + "'")))
                .containsExactly(linear, quadratic);
    }

    @Test
    void filterAndOrderByFollowMlflow() {
        String linear = cli.ok("run", "hindcast", "--config", config.toString()).runId();
        String quadratic = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "detrend=quadratic").runId();
        String none = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "detrend=none").runId();

        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI, "--filter",
                "params.`hindcast/detrend` = 'quadratic' and attributes.status = 'FINISHED'"))).containsExactly(quadratic);
        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI, "--order-by", "params.`hindcast/detrend` ASC")))
                .containsExactly(linear, none, quadratic);
        assertThat(idColumn(cli.ok("runs", "list", "--tracking-uri", URI, "--filter", "params.`hindcast/detrend` LIKE '%n%'",
                "--order-by", "params.`hindcast/detrend` DESC"))).containsExactly(none, linear);
        assertThat(cli.ok("runs", "list", "--tracking-uri", URI, "--filter", "metrics.x > 1e9").out())
                .contains("No runs", "matching the filter");
    }

    @Test
    void aMalformedFilterIsOneLineNamingThePosition() {
        cli.ok("run", "hindcast", "--config", config.toString());
        assertThat(fails("runs", "list", "--tracking-uri", URI, "--filter", "metrics.rmse >").err())
                .isEqualTo("cropcast: filter \"metrics.rmse >\" at position 15: expected a number or a quoted string after '>', "
                        + "found the end\n");
        assertThat(fails("runs", "list", "--tracking-uri", URI, "--order-by", "metrics.rmse UP").err())
                .contains("order-by \"metrics.rmse UP\" at position 14");
        assertThat(fails("runs", "list", "--tracking-uri", URI, "--filter", "params.x = 'a' or params.y = 'b'").err())
                .contains("at position 16: only AND joins comparisons");
    }

    @Test
    void anUnknownParentFailsBeforeAnyRunIsCreated() {
        Result result = fails("run", "hindcast", "--config", config.toString(), "--parent-run-id", "0123456789abcdef0123456789abcdef");
        assertThat(result.err()).contains("parent run 0123456789abcdef0123456789abcdef not found");
        assertThat(cli.ok("runs", "list", "--tracking-uri", URI).out()).contains("No runs");
    }
}
