package org.cropcast.pipeline.runs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.report.ParquetTable;
import org.cropcast.pipeline.runs.SweepGrid.Combination;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunRequest;
import org.cropcast.tracking.RunScope;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackedRun;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingAdapters;

/**
 * A sweep: one parent run (stage {@code sweep}) and one child run per combination of a grid, each
 * a full hindcast in a process of its own, in its own run directory under the parent's, with
 * {@code --parent-run-id}. Children run {@code parallel} at a time on the same tracking backend.
 * When they are done the parent gets the ranking ({@code sweep/ranking.csv}, {@code .parquet}),
 * the best combination by the metric (lower is better) with its metrics, and ends FINISHED, or
 * FAILED when a child failed (the others still ran). {@code sweep.yaml} in the parent's run
 * directory records the grid, so {@link #resume} reruns only the children that did not finish and
 * {@link #finish} completes a sweep whose children a scheduler ran.
 *
 * <p>On SIGINT or SIGTERM (a real process only) the running children are sent SIGTERM, so each ends
 * its run KILLED, then the parent is ended KILLED. A child whose sweep dies without that (SIGKILL)
 * notices within a second ({@link #PARENT_PID_VARIABLE}) and ends its run KILLED too.
 */
public final class SweepLauncher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SweepLauncher.class);
    public static final String STAGE = "sweep";
    public static final String CHILD_STAGE = "hindcast";
    public static final String SWEEP_FILE = "sweep.yaml";
    public static final String DEFAULT_METRIC = "model.national.rmse";
    /** Set in a child's environment: the sweep's process id; the child ends KILLED when that process is gone. */
    public static final String PARENT_PID_VARIABLE = "CROPCAST_SWEEP_PID";
    /** JVM options for the child processes (default: {@link #DEFAULT_CHILD_JVM_OPTIONS}). */
    public static final String CHILD_JVM_OPTIONS_VARIABLE = "CROPCAST_SWEEP_JVM_OPTIONS";
    static final String DEFAULT_CHILD_JVM_OPTIONS = "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true";
    public static final String TAG_GRID = "cropcast.sweep.grid";
    public static final String TAG_METRIC = "cropcast.sweep.metric";
    public static final String TAG_INDEX = "cropcast.sweep.index";
    public static final String TAG_COMBINATION = "cropcast.sweep.combination";
    public static final String TAG_BEST_RUN = "cropcast.sweep.best_run_id";
    public static final String TAG_BEST = "cropcast.sweep.best";
    public static final String TAG_RESULT = "cropcast.sweep.result";
    /** What a child's one-line error starts with on its standard error. */
    private static final String ERROR_PREFIX = "cropcast: ";

    private final StageLauncher stages;
    private final RunStoreFactory backends;
    private final TrackingAdapters adapters;
    private final Storage storage;
    private final RunReports reports;
    private final DocumentWriter documents;
    private final Clock clock;
    private final ProcessContext context;
    private final ConfigLoader loader;

    @Inject
    public SweepLauncher(StageLauncher stages, RunStoreFactory backends, Storage storage, DocumentWriter documents, Clock clock,
            ProcessContext context, RunReports reports, ConfigLoader loader, TrackingAdapters adapters) {
        this.stages = requireNonNull(stages, "stages is null");
        this.adapters = requireNonNull(adapters, "adapters is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.context = requireNonNull(context, "context is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    /**
     * A new sweep.
     *
     * @param printOnly create the parent and return one command per child, for a scheduler; the
     *     parent stays RUNNING until {@link #finish}
     */
    public record Request(Path config, SweepGrid grid, int parallel, String metric, boolean printOnly, ProgressListener progress) {
        public Request {
            requireNonNull(config, "config is null");
            requireNonNull(grid, "grid is null");
            requireNonNull(metric, "metric is null");
            requireNonNull(progress, "progress is null");
            if (parallel < 1 || parallel > 256) {
                throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "--parallel must be in [1, 256], got " + parallel);
            }
            if (metric.isBlank()) {
                throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "--metric is empty");
            }
        }
    }

    /**
     * One child: its combination, run directory, run, status and metric.
     *
     * @param error the child's one-line error when it failed, else empty
     * @param reused true when a resumed sweep found it FINISHED and did not run it again
     */
    public record Child(Combination combination, Location runDirectory, Optional<RunId> runId, Optional<RunStatus> status,
            double metric, String error, boolean reused) {
        public boolean finished() {
            return status.equals(Optional.of(RunStatus.FINISHED));
        }
    }

    /**
     * What a sweep did.
     *
     * @param children every combination, by index
     * @param ranking the children by the metric, lower first; those that did not finish or lack the metric last
     * @param commands one command line per child (with {@code printOnly}), else empty
     */
    public record Outcome(RunId parentRunId, Location runDirectory, TrackingTarget tracking, String metric, List<Child> children,
            List<Child> ranking, Optional<Child> best, List<List<String>> commands) {
        public long failed() {
            return children.stream().filter(c -> !c.finished()).count();
        }
    }

    /** The recorded plan of a sweep ({@code sweep.yaml}). */
    private record Plan(Path config, SweepGrid grid, String metric, Location directory) {
        List<Combination> combinations() {
            return grid.combinations();
        }

        Location childDirectory(Combination combination) {
            return directory.resolve("children").resolve(combination.directoryName(combinations().size()));
        }
    }

    public Outcome start(Request request) {
        PipelineConfig config = loader.load(request.config(), List.of());
        List<Combination> combinations = request.grid().combinations();
        // every combination's configuration is checked before anything is created: bad input leaves nothing behind
        for (Combination combination : combinations) {
            try {
                loader.load(request.config(), combination.overrides());
            } catch (CropcastException e) {
                throw new CropcastException(e.errorCode(), "combination " + combination.describe() + ": " + e.getMessage(), e);
            }
        }
        Path configPath = request.config().toAbsolutePath().normalize();
        TrackingTarget tracking = TrackingTarget.of(config, adapters);
        List<Location> dataFiles = InputFiles.of(configPath.toString(), config, Location.of(config.dataRoot()), storage);
        RunDirectories directories = stages.runDirectories();
        RunDirectories.Choice choice = directories.choose(config, STAGE, Optional.empty(), false);
        Plan plan = new Plan(configPath, request.grid(), request.metric(), choice.directory());
        // the scope closes first: it stops the heartbeat of a parent left RUNNING (--print-commands) before the store closes
        try (RunStore store = backends.create(tracking.uri());
                RunScope scope = stages.runScope(store, tracking, Optional.ofNullable(configPath.getParent()), false)) {
            RunRequest parentRequest = StageLauncher.runRequest(STAGE, config, configPath.toString(), choice, dataFiles);
            TrackedRun parent;
            try {
                parent = scope.open(parentRequest);
            } catch (RuntimeException e) {
                directories.release(choice);
                throw e;
            }
            writePlan(parent, plan);
            parent.setTags(Map.of(TAG_GRID, plan.grid().describe(), TAG_METRIC, plan.metric()));
            if (request.printOnly()) {
                List<List<String>> commands = combinations.stream()
                        .map(c -> childArguments(plan, c, parent.runId())).toList();
                parent.setTags(Map.of(TAG_RESULT, "scheduled: " + combinations.size() + " children to run; then 'cropcast sweep finish "
                        + parent.runId() + " --config " + configPath + "'"));
                // the parent stays RUNNING (its heartbeat stops with this process) until 'sweep finish'
                return new Outcome(parent.runId(), plan.directory(), tracking, plan.metric(),
                        List.of(), List.of(), Optional.empty(), commands);
            }
            return runAndComplete(store, parent, plan, tracking, Set.of(), request.parallel(), request.progress());
        }
    }

    /** Reruns the children of a sweep that did not finish, then completes the parent. */
    public Outcome resume(Path configFile, RunId parentRunId, int parallel, ProgressListener progress) {
        return reopen(configFile, parentRunId, (store, parent, plan, tracking) -> {
            Set<Integer> finished = new java.util.HashSet<>();
            for (Combination combination : plan.combinations()) {
                childRun(store, plan.childDirectory(combination)).filter(run -> run.info().status() == RunStatus.FINISHED)
                        .ifPresent(run -> finished.add(combination.index()));
            }
            return runAndComplete(store, parent, plan, tracking, finished, parallel, progress);
        });
    }

    /** Completes a sweep whose children were run elsewhere ({@code --print-commands}): ranking, best, end status. */
    public Outcome finish(Path configFile, RunId parentRunId) {
        return reopen(configFile, parentRunId, (store, parent, plan, tracking) -> {
            List<Child> children = new ArrayList<>();
            for (Combination combination : plan.combinations()) {
                children.add(recorded(store, plan, combination, true, "not run"));
            }
            return complete(store, parent, plan, tracking, children);
        });
    }

    @FunctionalInterface
    private interface ReopenedWork {
        Outcome run(RunStore store, TrackedRun parent, Plan plan, TrackingTarget tracking);
    }

    private Outcome reopen(Path configFile, RunId parentRunId, ReopenedWork work) {
        PipelineConfig config = loader.load(configFile, List.of());
        TrackingTarget tracking = TrackingTarget.of(config, adapters);
        try (RunStore store = backends.create(tracking.uri())) {
            Run parentRun = store.getRun(parentRunId).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                    "sweep run " + parentRunId + " not found in " + tracking.display()));
            if (!STAGE.equals(parentRun.data().tags().get(RunTags.STAGE))) {
                throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "run " + parentRunId + " is not a sweep (its stage is '"
                        + parentRun.data().tags().getOrDefault(RunTags.STAGE, "") + "')");
            }
            Location directory = Location.of(Optional.ofNullable(parentRun.data().tags().get(RunTags.RUN_DIR)).orElseThrow(() ->
                    new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "sweep run " + parentRunId + " has no run_dir tag")));
            Plan plan = readPlan(directory);
            PipelineConfig recorded = loader.load(plan.config(), List.of());
            List<Location> dataFiles = InputFiles.of(plan.config().toString(), recorded, Location.of(recorded.dataRoot()), storage);
            RunRequest request = StageLauncher.runRequest(STAGE, recorded, plan.config().toString(),
                    new RunDirectories.Choice(directory, RunMode.RESUME), dataFiles);
            // closed before the store: a parent the work leaves RUNNING (children not finished) stops beating first
            try (RunScope scope = stages.runScope(store, tracking, Optional.ofNullable(plan.config().getParent()), false)) {
                TrackedRun parent = scope.open(request);
                return work.run(store, parent, plan, tracking);
            }
        }
    }

    // ---- children ----

    private Outcome runAndComplete(RunStore store, TrackedRun parent, Plan plan, TrackingTarget tracking, Set<Integer> alreadyFinished,
            int parallel, ProgressListener progress) {
        List<Combination> combinations = plan.combinations();
        ChildProcesses processes = new ChildProcesses();
        Thread hook = new Thread(() -> processes.stopAll(store, parent), "cropcast-sweep-" + parent.runId() + "-shutdown");
        if (context.handleSignals()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        List<Child> children;
        try {
            children = runChildren(store, parent, plan, combinations, alreadyFinished, parallel, progress, processes);
        } finally {
            if (context.handleSignals() && !processes.stopping) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        if (processes.stopping) {
            processes.awaitExit(); // the JVM is exiting: the shutdown hook ends the parent KILLED, nothing else may end it
        }
        return complete(store, parent, plan, tracking, children);
    }

    private List<Child> runChildren(RunStore store, TrackedRun parent, Plan plan, List<Combination> combinations,
            Set<Integer> alreadyFinished, int parallel, ProgressListener progress, ChildProcesses processes) {
        progress.start("sweep", combinations.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, combinations.size()), task -> {
            Thread thread = new Thread(task, "cropcast-sweep-child");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Child>> futures = new ArrayList<>();
            for (Combination combination : combinations) {
                if (alreadyFinished.contains(combination.index())) {
                    Child reused = recorded(store, plan, combination, true, "");
                    progress.step(combination.label(combinations.size()) + " " + combination.describe() + ": FINISHED earlier");
                    futures.add(java.util.concurrent.CompletableFuture.completedFuture(reused));
                    continue;
                }
                futures.add(pool.submit(() -> {
                    Child child = runChild(store, parent, plan, combination, processes);
                    progress.step(combination.label(combinations.size()) + " " + combination.describe() + ": "
                            + child.status().map(Enum::name).orElse("no run"));
                    return child;
                }));
            }
            List<Child> children = new ArrayList<>();
            for (Future<Child> future : futures) {
                children.add(future.get());
            }
            return children;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CropcastException(AppErrorCode.INTERRUPTED, "sweep interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CropcastException(AppErrorCode.INTERNAL_ERROR, "sweep child failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
    }

    /** Runs one child process to its end and reads what it recorded. */
    private Child runChild(RunStore store, TrackedRun parent, Plan plan, Combination combination, ChildProcesses processes)
            throws IOException, InterruptedException {
        Location directory = plan.childDirectory(combination);
        Path logs = logDirectory(plan);
        String name = combination.directoryName(plan.combinations().size());
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(childArguments(plan, combination, parent.runId()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(context.environment());
        builder.environment().put(PARENT_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        Optional<Process> started = processes.start(builder);
        if (started.isEmpty()) {
            return new Child(combination, directory, Optional.empty(), Optional.empty(), Double.NaN, "not started: the sweep was stopped", false);
        }
        int code = started.get().waitFor();
        processes.ended(started.get());
        if (processes.stopping) {
            return new Child(combination, directory, Optional.empty(), Optional.of(RunStatus.KILLED), Double.NaN, "stopped", false);
        }
        String error = code == 0 ? "" : lastLine(err).orElse("exit code " + code);
        Optional<Run> run = childRun(store, directory);
        if (run.isPresent() && run.get().info().status() == RunStatus.RUNNING) {
            // the child process died without ending its run (killed, out of memory): end it for it
            String why = "the child process ended with exit code " + code + " without ending its run";
            store.logBatch(run.get().id(), List.of(), List.of(), List.of(new Tag(RunTags.ERROR, why)));
            store.endRun(run.get().id(), RunStatus.FAILED, clock.millis());
            error = error.isEmpty() ? why : error;
        }
        if (code != 0) {
            LOG.warn("sweep child {} ({}) failed: {}", combination.label(plan.combinations().size()), combination.describe(), error);
        }
        return recorded(store, plan, combination, false, error);
    }

    /** The child as its run directory and the store record it, tagged with its place in the sweep. */
    private Child recorded(RunStore store, Plan plan, Combination combination, boolean reused, String error) {
        Location directory = plan.childDirectory(combination);
        Optional<Run> run = childRun(store, directory);
        run.ifPresent(r -> store.logBatch(r.id(), List.of(), List.of(), List.of(
                new Tag(TAG_INDEX, Integer.toString(combination.index())), new Tag(TAG_COMBINATION, combination.describe()))));
        Optional<Run> now = run.flatMap(r -> store.getRun(r.id()));
        double metric = now.map(r -> r.data().latestMetrics().get(plan.metric())).map(Metric::value).orElse(Double.NaN);
        String message = error;
        if (message.isEmpty() && now.isPresent() && now.get().info().status() != RunStatus.FINISHED) {
            message = now.get().data().tags().getOrDefault(RunTags.ERROR, now.get().info().status().name());
        }
        if (message.isEmpty() && now.isEmpty()) {
            message = "no run recorded in " + directory;
        }
        return new Child(combination, directory, now.map(Run::id), now.map(r -> r.info().status()), metric, message,
                reused && now.map(r -> r.info().status() == RunStatus.FINISHED).orElse(false));
    }

    private Optional<Run> childRun(RunStore store, Location directory) {
        return RunRecord.read(storage, documents, directory, CHILD_STAGE).flatMap(record -> store.getRun(record.runId()));
    }

    /** A child's command line after the program: {@code run hindcast --config ... --run-dir ... --parent-run-id ... --set ...}. */
    private static List<String> childArguments(Plan plan, Combination combination, RunId parent) {
        List<String> args = new ArrayList<>(List.of("run", CHILD_STAGE, "--config", plan.config().toString(),
                "--run-dir", plan.childDirectory(combination).toString(), "--parent-run-id", parent.value(), "--no-progress"));
        for (String override : combination.overrides()) {
            args.add("--set");
            args.add(override);
        }
        return args;
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = Optional.ofNullable(context.environment().get(CHILD_JVM_OPTIONS_VARIABLE)).orElse(DEFAULT_CHILD_JVM_OPTIONS);
        for (String option : options.strip().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.cropcast.pipeline.Cropcast");
        command.add("-q");
        return command;
    }

    private static Path logDirectory(Plan plan) throws IOException {
        Path logs = plan.directory().isLocal() ? plan.directory().localPath().resolve("logs")
                : Files.createTempDirectory("cropcast-sweep-logs-");
        Files.createDirectories(logs);
        return logs;
    }

    private static Optional<String> lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, UTF_8);
            Collections.reverse(lines);
            return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .map(l -> l.startsWith(ERROR_PREFIX) ? l.substring(ERROR_PREFIX.length()) : l);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The child processes a sweep runs; stopped all at once on a signal. */
    private final class ChildProcesses {
        private final Set<Process> live = ConcurrentHashMap.newKeySet();
        private volatile boolean stopping;

        synchronized Optional<Process> start(ProcessBuilder builder) throws IOException {
            if (stopping) {
                return Optional.empty();
            }
            Process process = builder.start();
            live.add(process);
            return Optional.of(process);
        }

        void ended(Process process) {
            live.remove(process);
        }

        /** Blocks the sweep's own thread while a signal's shutdown hook ends the sweep (the JVM halts after it). */
        void awaitExit() {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CropcastException(AppErrorCode.INTERRUPTED, "sweep stopped by a signal", e);
                }
            }
        }

        /** SIGTERM to every child (each ends its run KILLED), a grace period, SIGKILL, then the parent KILLED. */
        void stopAll(RunStore store, TrackedRun parent) {
            synchronized (this) {
                stopping = true;
            }
            List<Process> running = List.copyOf(live);
            running.forEach(Process::destroy);
            for (Process process : running) {
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
            try {
                store.logBatch(parent.runId(), List.of(), List.of(), List.of(new Tag(RunTags.END_REASON, "signal"),
                        new Tag(TAG_RESULT, "stopped by a signal; " + running.size() + " running children ended KILLED")));
                store.endRun(parent.runId(), RunStatus.KILLED, clock.millis());
            } catch (RuntimeException e) {
                LOG.warn("could not end sweep run {} KILLED: {}", parent.runId(), e.getMessage());
            }
        }
    }

    // ---- completion ----

    private Outcome complete(RunStore store, TrackedRun parent, Plan plan, TrackingTarget tracking, List<Child> children) {
        List<Child> ranking = rank(children);
        Optional<Child> best = ranking.stream().findFirst().filter(c -> c.finished() && !Double.isNaN(c.metric()));
        writeRanking(parent, plan, ranking);
        Map<String, String> tags = new LinkedHashMap<>();
        long failed = children.stream().filter(c -> !c.finished()).count();
        tags.put(TAG_RESULT, (children.size() - failed) + " of " + children.size() + " children FINISHED"
                + (failed == 0 ? "" : ", " + failed + " did not: " + String.join("; ", children.stream().filter(c -> !c.finished())
                        .map(c -> c.combination().describe() + " (" + c.error() + ")").limit(5).toList())));
        best.ifPresent(b -> {
            tags.put(TAG_BEST_RUN, b.runId().orElseThrow().value());
            tags.put(TAG_BEST, b.combination().describe());
            b.combination().settings().forEach((key, value) -> tags.put(TAG_BEST + "." + key, value));
            List<Metric> metrics = new ArrayList<>();
            long now = clock.millis();
            store.getRun(b.runId().orElseThrow()).ifPresent(run -> run.data().latestMetrics().values().stream()
                    .filter(m -> !m.key().startsWith("fold."))
                    .forEach(m -> metrics.add(new Metric("best." + m.key(), m.value(), now, 0))));
            parent.logMetrics(metrics);
        });
        parent.setTags(tags);
        // the ranking report, read back from the parent's metrics, tags and sweep/ranking.csv
        reports.afterStage(store, parent, plan.directory());
        Outcome outcome = new Outcome(parent.runId(), plan.directory(), tracking, plan.metric(), children, ranking, best, List.of());
        if (failed > 0) {
            Child first = children.stream().filter(c -> !c.finished()).findFirst().orElseThrow();
            CropcastException failure = new CropcastException(AppErrorCode.SWEEP_CHILDREN_FAILED, failed + " of " + children.size()
                    + " sweep children did not finish; rerun them with 'cropcast sweep hindcast --config " + plan.config() + " --resume "
                    + parent.runId() + "'; first: " + first.combination().label(children.size()) + " " + first.combination().describe()
                    + ": " + first.error());
            parent.fail(failure);
            throw new SweepFailedException(failure, outcome);
        }
        parent.finish();
        return outcome;
    }

    /** The outcome of a sweep whose children did not all finish; the parent is FAILED. */
    public static final class SweepFailedException extends CropcastException {
        private static final long serialVersionUID = 1L;
        private final transient Outcome outcome;

        SweepFailedException(CropcastException failure, Outcome outcome) {
            super(failure.errorCode(), failure.getMessage(), failure.getCause());
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }

    static List<Child> rank(List<Child> children) {
        Comparator<Child> order = Comparator.comparingInt((Child c) -> c.finished() && !Double.isNaN(c.metric()) ? 0 : 1)
                .thenComparingDouble(c -> c.finished() && !Double.isNaN(c.metric()) ? c.metric() : 0)
                .thenComparingInt(c -> c.combination().index());
        return children.stream().sorted(order).toList();
    }

    private void writeRanking(TrackedRun parent, Plan plan, List<Child> ranking) {
        List<String> keys = plan.grid().axes().stream().map(SweepGrid.Axis::key).toList();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("rank", "index"));
        header.addAll(keys);
        header.addAll(List.of("status", plan.metric(), "run_id", "run_dir", "error"));
        rows.add(header);
        int rank = 0;
        for (Child child : ranking) {
            boolean ranked = child.finished() && !Double.isNaN(child.metric());
            List<String> row = new ArrayList<>(List.of(ranked ? Integer.toString(++rank) : "", Integer.toString(child.combination().index())));
            keys.forEach(k -> row.add(child.combination().settings().get(k)));
            row.addAll(List.of(child.status().map(Enum::name).orElse(""), Double.isNaN(child.metric()) ? "" : Double.toString(child.metric()),
                    child.runId().map(RunId::value).orElse(""), child.runDirectory().toString(), child.error()));
            rows.add(row);
        }
        Location csv = plan.directory().resolve("sweep").resolve("ranking.csv");
        storage.write(csv, out -> out.write(new CsvMapper().writeValueAsBytes(rows)));
        Location parquet = plan.directory().resolve("sweep").resolve("ranking.parquet");
        storage.write(parquet, out -> {
            ParquetTable.Schema schema = ParquetTable.schema();
            int rankSlot = schema.integer("rank");
            int indexSlot = schema.integer("index");
            List<Integer> keySlots = keys.stream().map(schema::string).toList();
            int statusSlot = schema.string("status");
            int metricSlot = schema.real(plan.metric());
            int runSlot = schema.string("run_id");
            int dirSlot = schema.string("run_dir");
            int errorSlot = schema.string("error");
            try (ParquetTable table = schema.open(out)) {
                int r = 0;
                for (Child child : ranking) {
                    boolean ranked = child.finished() && !Double.isNaN(child.metric());
                    ParquetTable.Row row = table.row();
                    row.ints[rankSlot] = ranked ? ++r : 0;
                    row.ints[indexSlot] = child.combination().index();
                    for (int i = 0; i < keys.size(); i++) {
                        row.strings[keySlots.get(i)] = child.combination().settings().get(keys.get(i));
                    }
                    row.strings[statusSlot] = child.status().map(Enum::name).orElse("");
                    row.doubles[metricSlot] = child.metric();
                    row.strings[runSlot] = child.runId().map(RunId::value).orElse("");
                    row.strings[dirSlot] = child.runDirectory().toString();
                    row.strings[errorSlot] = child.error();
                    table.write();
                }
            }
        });
        parent.logArtifact(csv, "sweep");
        parent.logArtifact(parquet, "sweep");
    }

    // ---- sweep.yaml ----

    private void writePlan(TrackedRun parent, Plan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config_path", plan.config().toString());
        doc.put("metric", plan.metric());
        doc.put("grid", plan.grid().specs());
        List<Object> children = new ArrayList<>();
        for (Combination combination : plan.combinations()) {
            Map<String, Object> child = new LinkedHashMap<>();
            child.put("index", combination.index());
            child.put("settings", new LinkedHashMap<>(combination.settings()));
            child.put("run_dir", plan.childDirectory(combination).toString());
            children.add(child);
        }
        doc.put("children", children);
        Location file = plan.directory().resolve(SWEEP_FILE);
        storage.write(file, out -> documents.write(doc, out));
        parent.logArtifact(file, "");
    }

    private Plan readPlan(Location directory) {
        Location file = directory.resolve(SWEEP_FILE);
        Map<String, Object> doc;
        try (InputStream in = storage.newInputStream(file)) {
            doc = documents.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CropcastException e) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "cannot read the sweep's plan " + file + ": " + e.getMessage(), e);
        }
        try {
            @SuppressWarnings("unchecked")
            List<String> grid = (List<String>) doc.get("grid");
            return new Plan(Path.of((String) doc.get("config_path")), SweepGrid.parse(grid), (String) doc.get("metric"), directory);
        } catch (RuntimeException e) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, file + " is not a sweep plan: " + e.getMessage(), e);
        }
    }
}
