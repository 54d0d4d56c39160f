package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pyarrow (from the pinned MLflow virtual environment the build installs) reads the hindcast's
 * datasets with the documented column types. Fails, never skips, when the environment is missing.
 */
class PyarrowReadsDatasetsTest {
    private static final String SCRIPT = """
            import sys, json
            import pyarrow.parquet as pq
            out = {}
            for path in sys.argv[1:]:
                table = pq.read_table(path)
                out[path] = {"rows": table.num_rows,
                             "types": {f.name: str(f.type) for f in table.schema},
                             "nullable": {f.name: f.nullable for f in table.schema}}
            print(json.dumps(out))
            """;

    @TempDir
    Path temp;

    @Test
    void pyarrowReadsFitAndPred() throws Exception {
        Path config = DemoDataGenerator.write(temp.resolve("demo"), 2);
        StageHarness harness = new StageHarness(temp.resolve("h"));
        harness.run(new HindcastStage(), harness.config(config));
        Path fit = harness.runDirectory.resolve("datasets/fit.parquet");
        Path pred = harness.runDirectory.resolve("datasets/pred.parquet");

        String json = python(fit.toString(), pred.toString());
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        com.fasterxml.jackson.databind.JsonNode fitInfo = result.get(fit.toString());
        com.fasterxml.jackson.databind.JsonNode predInfo = result.get(pred.toString());
        long fitRows = ((Number) DuckDb.single(fit, "SELECT count(*) FROM ?file")).longValue();
        assertThat(fitInfo.get("rows").asLong()).isEqualTo(fitRows).isGreaterThan(0);
        assertThat(fitInfo.get("types").get("fold").asText()).isEqualTo("int32");
        assertThat(fitInfo.get("types").get("region").asText()).isEqualTo("string");
        assertThat(fitInfo.get("types").get("target").asText()).isEqualTo("double");
        assertThat(fitInfo.get("nullable").get("target").asBoolean()).isFalse();
        assertThat(fitInfo.get("types").get("t2m_mean_c_m07").asText()).isEqualTo("double");
        long predRows = ((Number) DuckDb.single(pred, "SELECT count(*) FROM ?file")).longValue();
        long regions = ((Number) DuckDb.single(pred, "SELECT count(DISTINCT region) FROM ?file WHERE level = 'region'")).longValue();
        assertThat(predRows).isEqualTo(32 * regions + 32);
        assertThat(predInfo.get("rows").asLong()).isEqualTo(predRows);
        assertThat(predInfo.get("types").get("ref_DEMO_SURVEY_1").asText()).isEqualTo("double");
        assertThat(predInfo.get("nullable").get("observed").asBoolean()).isTrue();
    }

    private static String python(String... args) throws IOException, InterruptedException {
        String venv = System.getProperty("cropcast.mlflow.venv");
        if (venv == null) {
            throw new AssertionError("system property cropcast.mlflow.venv is not set: run the tests through Maven");
        }
        Path python = Path.of(venv, "bin", "python");
        if (!Files.isExecutable(python)) {
            throw new AssertionError("no Python at " + python + ": the build's ensure-mlflow-venv step installs it");
        }
        Path script = Files.createTempFile("cropcast-pyarrow-", ".py");
        try {
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
            List<String> command = new java.util.ArrayList<>(List.of(python.toString(), script.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("pyarrow failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
