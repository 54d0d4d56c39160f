package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunScope;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * Where an invocation writes, and whether it creates or resumes its run.
 * <ul>
 *   <li>Without {@code --run-dir}: a new directory {@code <data_root>/runs/<experiment_key>/<UTC timestamp>}
 *       (suffixed {@code -2}, {@code -3}, ... if taken), and a new run. The claim is atomic: a local
 *       directory is created with {@code mkdir}; in an object store a claim marker
 *       {@value #CLAIM_MARKER} is created in it with {@link Storage#createIfAbsent} (on S3 a
 *       conditional PutObject, {@code If-None-Match: *}).</li>
 *   <li>With {@code --run-dir D}: if {@code D/metadata_<stage>.yaml} exists the recorded run is
 *       resumed, else a new run is created in D (D is created if missing, unless {@code --resume}
 *       was asked for or the stage is {@code forecast}, which needs an existing run directory).
 *       {@code --resume} of a D without the record resumes the RUNNING run of the stage made in D
 *       (its {@code cropcast.run_dir} tag, written with the run) by a process killed before it wrote
 *       the record; without such a run it is refused.</li>
 *   <li>A D holding another experiment's {@code config_resolved.yaml}, or files but no
 *       {@code config_resolved.yaml}, is refused.</li>
 * </ul>
 */
public final class RunDirectories {
    public static final String RUNS = "runs";
    /** The object that claims a run directory in an object store, where there is no directory to create. */
    public static final String CLAIM_MARKER = ".cropcast-claim";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunDirectories.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final DocumentWriter documents;
    private final Clock clock;
    private final java.util.random.RandomGenerator random;

    public RunDirectories(Storage storage, DocumentWriter documents, Clock clock, java.util.random.RandomGenerator random) {
        this.storage = requireNonNull(storage, "storage is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * The chosen directory and mode.
     *
     * @param created the local directories this invocation created to claim the run directory
     *     (deepest first); removed again, while empty, if no run could be opened in it
     * @param claim the claim marker this invocation created in an object store; removed again
     *     if it is still the only object in the directory when no run could be opened in it
     */
    public record Choice(Location directory, RunMode mode, List<java.nio.file.Path> created, Optional<Location> claim) {
        public Choice {
            requireNonNull(directory, "directory is null");
            requireNonNull(mode, "mode is null");
            created = List.copyOf(created);
            requireNonNull(claim, "claim is null");
        }

        Choice(Location directory, RunMode mode) {
            this(directory, mode, List.of(), Optional.empty());
        }
    }

    /** For hindcast and fit-production. */
    public Choice choose(PipelineConfig config, String stage, Optional<String> runDirArgument, boolean resume) {
        if (runDirArgument.isEmpty()) {
            if (resume) {
                throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "--resume needs --run-dir: the run directory whose run to resume");
            }
            return reserveNewDirectory(config);
        }
        Location directory = parse(runDirArgument.get());
        boolean exists = exists(directory);
        if (!exists) {
            if (resume) {
                throw notFound(runDirArgument.get(), "cannot resume");
            }
            return createNamed(directory);
        }
        refuseLinksOutside(directory);
        checkExperiment(directory, config);
        boolean recorded = storage.exists(directory.resolve(RunRecord.fileName(stage)));
        // --resume without the record: the run scope looks for the run a killed process made here
        // before it could write the record (by the run's run-directory tag), and refuses if there is none
        return new Choice(directory, recorded || resume ? RunMode.RESUME : RunMode.CREATE);
    }

    /** For forecast: the directory must exist and hold a resolved configuration, which is returned. */
    public Location existing(String runDirArgument) {
        Location directory = parse(runDirArgument);
        if (!exists(directory)) {
            throw notFound(runDirArgument, "a forecast needs the run directory of a fit-production run");
        }
        refuseLinksOutside(directory);
        if (!storage.exists(directory.resolve(RunScope.CONFIG_FILE))) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir " + directory + " is not a cropcast run directory: it has no "
                    + RunScope.CONFIG_FILE);
        }
        return directory;
    }

    /** Reads the resolved configuration recorded in a run directory (strictly, like any configuration). */
    public PipelineConfig recordedConfig(Location directory, ConfigLoader loader) {
        Location file = directory.resolve(RunScope.CONFIG_FILE);
        String text;
        try (InputStream in = storage.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) ConfigLoader.MAX_CONFIG_BYTES + 1);
            if (bytes.length > ConfigLoader.MAX_CONFIG_BYTES) {
                throw new CropcastException(AppErrorCode.CONFIG_UNREADABLE, file + ": larger than " + ConfigLoader.MAX_CONFIG_BYTES / 1024 + " KiB");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        java.nio.file.Path base = directory.isLocal() ? directory.localPath() : java.nio.file.Path.of("").toAbsolutePath();
        return loader.parse(file.toString(), text, base, List.of());
    }

    /**
     * A symbolic link inside a local run directory whose target lies outside it (or does not
     * exist) is refused: the stage would write through it ({@code reports -> /elsewhere}).
     * Links that stay inside the directory are allowed.
     */
    static void refuseLinksOutside(Location directory) {
        if (!directory.isLocal()) {
            return;
        }
        java.nio.file.Path root;
        try {
            root = directory.localPath().toRealPath();
        } catch (IOException e) {
            return; // not there yet
        }
        try (java.util.stream.Stream<java.nio.file.Path> walk = Files.walk(directory.localPath())) {
            for (java.nio.file.Path path : (Iterable<java.nio.file.Path>) walk::iterator) {
                if (!Files.isSymbolicLink(path)) {
                    continue;
                }
                java.nio.file.Path target;
                try {
                    target = path.toRealPath();
                } catch (IOException dangling) {
                    target = null;
                }
                if (target == null || !target.startsWith(root)) {
                    throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir " + directory + ": "
                            + org.cropcast.tracking.Redactor.truncateForMessage(directory.localPath().relativize(path).toString())
                            + " is a symbolic link " + (target == null ? "to nothing" : "outside the run directory")
                            + "; the stage would write through it");
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    private void checkExperiment(Location directory, PipelineConfig config) {
        Location recorded = directory.resolve(RunScope.CONFIG_FILE);
        if (!storage.exists(recorded)) {
            if (storage.list(directory).stream().anyMatch(entry -> !entry.location().fileName().equals(CLAIM_MARKER)
                    && !entry.location().fileName().equals(RunDirectoryLock.FILE))) {
                throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir " + directory
                        + " is not a cropcast run directory: it holds files but no " + RunScope.CONFIG_FILE);
            }
            return;
        }
        Optional<String> key = recordedExperimentKey(recorded);
        if (key.isEmpty() || !key.get().equals(config.experimentKey())) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_MISMATCH, "--run-dir " + directory + " belongs to experiment '"
                    + key.orElse("?") + "' (its " + RunScope.CONFIG_FILE + "), not to '" + config.experimentKey() + "' of this configuration");
        }
    }

    private Optional<String> recordedExperimentKey(Location file) {
        java.util.Map<String, Object> document;
        try (InputStream in = storage.newInputStream(file)) {
            document = documents.read(in);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (CropcastException e) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, file + " is not a readable resolved configuration: " + e.getMessage(), e);
        }
        return Optional.ofNullable(document.get("experiment_key")).map(String::valueOf);
    }

    private Choice reserveNewDirectory(PipelineConfig config) {
        return claimNewDirectory(PipelineSettings.dataRoot(config).resolve(RUNS).resolve(config.experimentKey()));
    }

    /**
     * Claims a new directory {@code <base>/<UTC timestamp>}, or {@code <timestamp>-2}, {@code -3},
     * ... if that is taken by an earlier or concurrent invocation. Locally the directory is created
     * atomically; in an object store the claim marker is created only if absent. A store that
     * cannot create only-if-absent ({@link TrackingErrorCode#ATOMIC_CREATE_UNSUPPORTED}) gets the
     * timestamp with a random suffix instead, which makes a collision unlikely but not impossible.
     */
    Choice claimNewDirectory(Location base) {
        String stamp = STAMP.format(clock.instant());
        return base.isLocal() ? claimLocal(base, stamp) : claimInObjectStore(base, stamp);
    }

    private Choice claimInObjectStore(Location base, String stamp) {
        byte[] content = ("claimed by cropcast at " + clock.instant() + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 1; ; i++) {
            Location candidate = base.resolve(i == 1 ? stamp : stamp + "-" + i);
            Location marker = candidate.resolve(CLAIM_MARKER);
            try {
                if (storage.createIfAbsent(marker, content)) {
                    return new Choice(candidate, RunMode.CREATE, List.of(), Optional.of(marker));
                }
            } catch (CropcastException e) {
                if (e.errorCode() != TrackingErrorCode.ATOMIC_CREATE_UNSUPPORTED) {
                    throw e;
                }
                LOG.warn("{}: {}; the run directory gets a random suffix instead", base, e.getMessage());
                String suffix = String.format(Locale.ROOT, "%06x", random.nextInt(0x1000000));
                return new Choice(base.resolve(stamp + "-" + suffix), RunMode.CREATE);
            }
            // taken by an earlier or concurrent invocation: try the next suffix
        }
    }

    private Choice claimLocal(Location base, String stamp) {
        try {
            List<java.nio.file.Path> created = new java.util.ArrayList<>();
            for (java.nio.file.Path p = base.localPath(); p != null && !Files.exists(p); p = p.getParent()) {
                created.add(p);
            }
            Files.createDirectories(base.localPath());
            for (int i = 1; ; i++) {
                Location candidate = base.resolve(i == 1 ? stamp : stamp + "-" + i);
                try {
                    Files.createDirectory(candidate.localPath());
                    created.add(0, candidate.localPath());
                    return new Choice(candidate, RunMode.CREATE, created, Optional.empty());
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // taken by an earlier or concurrent invocation: try the next suffix
                }
            }
        } catch (java.io.IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot create a run directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /**
     * A {@code --run-dir} that does not exist yet, made now when it is local, so that it exists
     * (and can be locked, and resumed) from the moment the run does; released like a claimed one.
     */
    private static Choice createNamed(Location directory) {
        if (!directory.isLocal()) {
            return new Choice(directory, RunMode.CREATE);
        }
        List<java.nio.file.Path> created = new java.util.ArrayList<>();
        for (java.nio.file.Path p = directory.localPath(); p != null && !Files.exists(p); p = p.getParent()) {
            created.add(p);
        }
        try {
            Files.createDirectories(directory.localPath());
        } catch (java.io.IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot create the run directory " + directory + ": "
                    + org.cropcast.tracking.Redactor.truncateForMessage(String.valueOf(e.getMessage())), e);
        }
        return new Choice(directory, RunMode.CREATE, created, Optional.empty());
    }

    /** Removes the claim of a run directory that stayed empty (no run could be opened in it). */
    public void release(Choice choice) {
        choice.claim().ifPresent(marker -> {
            try {
                if (storage.list(choice.directory()).stream().allMatch(entry -> entry.location().equals(marker))) {
                    storage.delete(marker);
                }
            } catch (CropcastException e) {
                LOG.warn("cannot remove the claim marker {}: {}", marker, e.getMessage());
            }
        });
        if (!choice.created().isEmpty()) {
            // the lock this invocation took in the directory it claimed (the directory goes, so may the lock file)
            java.nio.file.Path lock = choice.created().get(0).resolve(RunDirectoryLock.FILE);
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(choice.created().get(0))) {
                if (files.allMatch(lock::equals)) {
                    Files.deleteIfExists(lock);
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return; // gone already, or unreadable: keep what is there
            }
        }
        for (java.nio.file.Path directory : choice.created()) {
            try {
                Files.deleteIfExists(directory);
            } catch (java.io.IOException e) {
                return; // not empty (the run or a concurrent one wrote something): keep it and its parents
            }
        }
    }

    private boolean exists(Location directory) {
        if (directory.isLocal()) {
            if (Files.isRegularFile(directory.localPath())) {
                throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir " + directory + " is a file, not a directory");
            }
            return Files.isDirectory(directory.localPath());
        }
        return !storage.list(directory).isEmpty();
    }

    private static Location parse(String argument) {
        try {
            return Location.of(argument);
        } catch (CropcastException e) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir: " + e.getMessage(), e);
        }
    }

    private static CropcastException notFound(String argument, String why) {
        return new CropcastException(AppErrorCode.RUN_DIRECTORY_NOT_FOUND, "--run-dir " + org.cropcast.tracking.Redactor.redact(argument)
                + " does not exist (" + why + ")");
    }
}
