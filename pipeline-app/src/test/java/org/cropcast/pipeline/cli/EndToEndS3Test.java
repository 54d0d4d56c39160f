package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.pipeline.runs.RunDirectories;
import org.cropcast.storage.s3.S3MockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * QA mode from the command line: the data root is an {@code s3://} URI ({@code INPUT_DATA_DIR}),
 * so inputs are read from S3, run directories and their YAML files are written to S3, and
 * {@code run forecast --run-dir s3://...} reads the resolved configuration back from S3. The
 * tracking store is an absolute local SQLite file (SQLite cannot live in S3).
 */
class EndToEndS3Test {
    @TempDir
    Path dir;

    @Test
    void demoWithItsDataRootOnS3() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket("qa");
        Path local = dir.resolve("demo");
        Path config = DemoDataGenerator.write(local, 42);
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = "demo/" + local.relativize(file).toString().replace('\\', '/');
                s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
        }
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^data_root:.*$", ""));
        Map<String, String> env = new HashMap<>(s3.environment());
        env.put("INPUT_DATA_DIR", "s3://" + bucket + "/demo");
        CliHarness cli = new CliHarness(env);
        String tracking = "mlflow_tracking_uri=sqlite:///" + dir.resolve("qa-mlruns.db").toAbsolutePath();

        Result hindcast = cli.ok("run", "hindcast", "--config", config.toString(), "--set", tracking,
                "--set", "feature_start_year=2012", "--no-progress");
        String runDir = hindcast.runDir();
        // claimed with a conditional write of the claim marker: no random suffix on S3
        assertThat(runDir).matches("s3://" + bucket + "/demo/runs/cropcast-demo/\\d{8}T\\d{6}Z(-\\d+)?");
        String prefix = runDir.substring(("s3://" + bucket + "/").length()) + "/";
        List<String> keys = s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).map(k -> k.substring(prefix.length())).toList();
        assertThat(keys).contains(RunDirectories.CLAIM_MARKER, "config_resolved.yaml", "metadata.yaml", "metadata_hindcast.yaml",
                "datasets/fit.parquet", "datasets/pred.parquet");

        cli.ok("run", "fit-production", "--config", config.toString(), "--set", tracking, "--set", "feature_start_year=2012",
                "--run-dir", runDir, "--no-progress");
        Result first = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-07-15", "--no-progress");
        Result second = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-08-15", "--no-progress");
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.out()).contains("(resumed run)");

        Result show = cli.ok("runs", "show", hindcast.runId(), "--tracking-uri", "sqlite:///" + dir.resolve("qa-mlruns.db").toAbsolutePath());
        assertThat(show.out()).contains("run_dir", runDir, "datasets/fit.parquet", "config_resolved.yaml");
        assertThat(Files.exists(local.resolve("runs"))).isFalse();
    }
}
