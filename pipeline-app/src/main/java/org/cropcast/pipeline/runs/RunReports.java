package org.cropcast.pipeline.runs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.report.ForecastReport;
import org.cropcast.pipeline.report.HindcastReport;
import org.cropcast.pipeline.report.ReportInputs;
import org.cropcast.pipeline.report.Table;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.Storage;

/**
 * A run's HTML report ({@code report/hindcast.html}, {@code report/forecast.html}), drawn from the
 * run as its backend holds it: the metrics (latest values and the per-fold or per-init-date
 * histories) and the outputs ({@code datasets/pred.parquet}, {@code reports/coefficients.csv},
 * {@code forecasts/<init_date>/forecast.parquet}). After a stage the outputs are read from the run
 * directory, and the report is written there and logged as an artifact; {@code cropcast runs
 * report} reads them from the run's artifacts, from any backend.
 */
public final class RunReports {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunReports.class);
    /** The stages that have a report, and where it goes (relative to the run directory and artifact root). */
    private static final Map<String, String> PATHS = Map.of("hindcast", "report/hindcast.html", "forecast", "report/forecast.html");

    private final Storage storage;
    private final ArtifactStore artifacts;

    @Inject
    public RunReports(Storage storage, ArtifactStore artifacts) {
        this.storage = requireNonNull(storage, "storage is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    /** The report's relative path for a stage, if that stage has one. */
    public static Optional<String> path(String stage) {
        return Optional.ofNullable(PATHS.get(stage));
    }

    /** What a report reads a run's files through: the run directory or the artifact store. */
    interface RunFiles {
        /** Every file's path relative to the run's root, '/'-separated. */
        List<String> paths();

        InputStream open(String path);
    }

    /**
     * Inside a stage's run, once the stage has returned: renders the stage's report from the run's
     * metrics in {@code store} and its files in {@code runDirectory}, writes it there and logs it.
     * Stages without a report are left alone.
     */
    public Optional<Location> afterStage(RunStore store, ActiveRun run, Location runDirectory) {
        Optional<String> relative = path(run.stage());
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        Run stored = store.getRun(run.runId()).orElseThrow(() -> new CropcastException(PipelineErrorCode.OUTPUT_FAILURE,
                "cannot write the report: run " + run.runId() + " is not in the tracking store"));
        String experiment = store.getExperiment(run.experimentId()).map(e -> e.name()).orElse(run.experimentId().value());
        RunFiles files = new RunFiles() {
            @Override
            public List<String> paths() {
                String root = runDirectory.toString();
                String prefix = root.endsWith("/") ? root : root + "/";
                List<String> out = new ArrayList<>();
                for (FileEntry entry : storage.list(runDirectory)) {
                    String text = entry.location().toString();
                    if (text.startsWith(prefix)) {
                        out.add(text.substring(prefix.length()));
                    }
                }
                return out;
            }

            @Override
            public InputStream open(String path) {
                return storage.newInputStream(runDirectory.resolve(path));
            }
        };
        String html = render(stored, experiment, key -> store.getMetricHistory(run.runId(), key), files);
        Location target = runDirectory.resolve(relative.get());
        try {
            storage.write(target, out -> out.write(html.getBytes(UTF_8)));
        } catch (UncheckedIOException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot write " + target + ": " + e.getCause().getMessage(), e);
        }
        run.logArtifact(target, relative.get().substring(0, relative.get().lastIndexOf('/')));
        LOG.debug("wrote {}", target);
        return Optional.of(target);
    }

    /** What {@link #toDirectory} wrote. */
    public record Written(Path report, int linkedFiles) {}

    /**
     * {@code cropcast runs report}: renders the run's report from its metrics and artifacts into
     * {@code output}/report/, and downloads the fold plots and files it links to beside it (under
     * the same relative paths), so that the links work offline.
     */
    public Written toDirectory(RunsReader.Session session, RunsReader.RunView view, Path output) {
        Run run = view.run();
        String stage = run.data().tags().getOrDefault(RunTags.STAGE, "");
        String relative = path(stage).orElseThrow(() -> new CropcastException(AppErrorCode.INVALID_ARGUMENT, "run "
                + run.id() + " is a " + (stage.isEmpty() ? "run without a stage tag" : stage + " run")
                + ": only hindcast and forecast runs have a report"));
        String root = run.info().artifactUri();
        List<String> paths = session.artifacts(run).stream().filter(e -> !e.directory()).map(ArtifactEntry::path).toList();
        RunFiles files = new RunFiles() {
            @Override
            public List<String> paths() {
                return paths;
            }

            @Override
            public InputStream open(String path) {
                return artifacts.open(root, path);
            }
        };
        String html = render(run, view.experimentName(), key -> session.metricHistory(run, key), files);
        Path report = output.resolve(relative);
        int linked = 0;
        try {
            Files.createDirectories(report.getParent());
            for (String path : paths) {
                if (linkedFromReport(path)) {
                    Path local = output.resolve(path).normalize();
                    if (!local.startsWith(output.normalize())) {
                        continue;
                    }
                    Files.createDirectories(local.getParent());
                    try (InputStream in = artifacts.open(root, path)) {
                        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    linked++;
                }
            }
            Files.writeString(report, html, UTF_8);
        } catch (IOException e) {
            throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "cannot write the report into " + output + ": " + e.getMessage(), e);
        }
        return new Written(report, linked);
    }

    /** The files the hindcast report links to (small: plots and CSVs, not the datasets). */
    private static boolean linkedFromReport(String path) {
        return path.startsWith("reports/") && (path.endsWith(".png") || path.endsWith(".csv"));
    }

    static String render(Run run, String experimentName, Function<String, List<Metric>> history, RunFiles files) {
        String stage = run.data().tags().getOrDefault(RunTags.STAGE, "");
        Map<String, Double> latest = new HashMap<>();
        run.data().latestMetrics().forEach((key, metric) -> latest.put(key, metric.value()));
        Map<String, NavigableMap<Long, Double>> histories = new HashMap<>();
        for (String key : latest.keySet()) {
            boolean perStep = stage.equals("forecast") ? key.startsWith("forecast.") : key.startsWith("fold.") || key.contains(".fold.");
            if (perStep) {
                NavigableMap<Long, Double> steps = new TreeMap<>();
                // by timestamp, so that the last value logged at a step wins (a resumed fold)
                history.apply(key).stream().sorted(java.util.Comparator.comparingLong(Metric::timestampMillis))
                        .forEach(m -> steps.put(m.step(), m.value()));
                histories.put(key, steps);
            }
        }
        List<String> paths = files.paths();
        Optional<Table> predictions;
        Optional<Table> coefficients = Optional.empty();
        if (stage.equals("forecast")) {
            List<Table> tables = new ArrayList<>();
            for (String path : paths.stream().filter(p -> p.startsWith("forecasts/") && p.endsWith("/forecast.parquet")).sorted().toList()) {
                tables.add(read(files, path, Table::parquet));
            }
            predictions = tables.isEmpty() ? Optional.empty() : Optional.of(Table.concat(tables));
        } else {
            predictions = paths.contains("datasets/pred.parquet")
                    ? Optional.of(read(files, "datasets/pred.parquet", Table::parquet)) : Optional.empty();
            coefficients = paths.contains("reports/coefficients.csv")
                    ? Optional.of(read(files, "reports/coefficients.csv", Table::csv)) : Optional.empty();
        }
        String unit = paths.contains("config_resolved.yaml") ? unit(read(files, "config_resolved.yaml", RunReports::yaml)) : "";
        ReportInputs inputs = new ReportInputs(run.id().value(), run.info().runName(), experimentName, stage, unit,
                run.data().params(), run.data().tags(), latest, histories, predictions, coefficients, paths);
        return stage.equals("forecast") ? ForecastReport.render(inputs) : HindcastReport.render(inputs);
    }

    private static <T> T read(RunFiles files, String path, Function<InputStream, T> reader) {
        try (InputStream in = files.open(path)) {
            return reader.apply(in);
        } catch (IOException | UncheckedIOException e) {
            throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "cannot read " + path + " for the report: " + e.getMessage(), e);
        }
    }

    private static JsonNode yaml(InputStream in) {
        try {
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unit(JsonNode config) {
        JsonNode unit = config == null ? null : config.path("target").path("unit");
        return unit == null || unit.isMissingNode() || unit.isNull() ? "" : unit.asText();
    }
}
