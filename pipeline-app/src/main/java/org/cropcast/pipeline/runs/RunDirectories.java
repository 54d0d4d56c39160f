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
import org.cropcast.pipeline.AppErrorCode;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
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
 *       (suffixed {@code -2}, {@code -3}, ... if taken), and a new run.</li>
 *   <li>With {@code --run-dir D}: if {@code D/metadata_<stage>.yaml} exists the recorded run is
 *       resumed, else a new run is created in D (D is created if missing, unless {@code --resume}
 *       was asked for or the stage is {@code forecast}, which needs an existing run directory).</li>
 *   <li>A D holding another experiment's {@code config_resolved.yaml}, or files but no
 *       {@code config_resolved.yaml}, is refused.</li>
 * </ul>
 */
public final class RunDirectories {
    public static final String RUNS = "runs";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Storage storage;
    private final DocumentWriter documents;
    private final Clock clock;

    public RunDirectories(Storage storage, DocumentWriter documents, Clock clock) {
        this.storage = requireNonNull(storage, "storage is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The chosen directory and mode; {@code generated} when this invocation created it under {@code runs/} (no --run-dir). */
    public record Choice(Location directory, RunMode mode, boolean generated) {
        public Choice(Location directory, RunMode mode) {
            this(directory, mode, false);
        }
    }

    /** For hindcast and fit-production. */
    public Choice choose(PipelineConfig config, String stage, Optional<String> runDirArgument, boolean resume) {
        if (runDirArgument.isEmpty()) {
            if (resume) {
                throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "--resume needs --run-dir: the run directory whose run to resume");
            }
            return new Choice(newDirectory(config), RunMode.CREATE, true);
        }
        Location directory = parse(runDirArgument.get());
        boolean exists = exists(directory);
        if (!exists) {
            if (resume) {
                throw notFound(runDirArgument.get(), "cannot resume");
            }
            return new Choice(directory, RunMode.CREATE);
        }
        checkExperiment(directory, config);
        boolean recorded = storage.exists(directory.resolve(RunRecord.fileName(stage)));
        if (resume && !recorded) {
            throw new CropcastException(AppErrorCode.RUN_DIRECTORY_INVALID, "--run-dir " + directory + ": cannot resume: it has no "
                    + RunRecord.fileName(stage) + " (run the " + stage + " stage there without --resume first)");
        }
        return new Choice(directory, recorded ? RunMode.RESUME : RunMode.CREATE);
    }

    /**
     * Undoes {@link #choose}'s claim of a generated directory when the invocation failed before
     * writing anything there: the empty directory and its empty parents under {@code runs/} go.
     */
    public void releaseIfEmpty(Choice choice, PipelineConfig config) {
        if (!choice.generated() || !choice.directory().isLocal()) {
            return;
        }
        java.nio.file.Path stop = Location.of(config.dataRoot()).localPath();
        for (java.nio.file.Path p = choice.directory().localPath(); p != null && !p.equals(stop); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (or not ours to delete): keep it and everything above
            }
        }
    }

    /** For forecast: the directory must exist and hold a resolved configuration, which is returned. */
    public Location existing(String runDirArgument) {
        Location directory = parse(runDirArgument);
        if (!exists(directory)) {
            throw notFound(runDirArgument, "a forecast needs the run directory of a fit-production run");
        }
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

    private void checkExperiment(Location directory, PipelineConfig config) {
        Location recorded = directory.resolve(RunScope.CONFIG_FILE);
        if (!storage.exists(recorded)) {
            if (!storage.list(directory).isEmpty()) {
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

    private Location newDirectory(PipelineConfig config) {
        Location base = Location.of(config.dataRoot()).resolve(RUNS).resolve(config.experimentKey());
        String stamp = STAMP.format(clock.instant());
        Location candidate = base.resolve(stamp);
        for (int i = 2; exists(candidate) || !claim(candidate); i++) {
            candidate = base.resolve(stamp + "-" + i);
        }
        return candidate;
    }

    /**
     * Creates a local directory atomically so that concurrent invocations started in the same second
     * never share one; false if another process took it first. Object stores have no atomic create:
     * there the check above is all there is.
     */
    private static boolean claim(Location directory) {
        if (!directory.isLocal()) {
            return true;
        }
        try {
            Files.createDirectories(directory.localPath().getParent());
            Files.createDirectory(directory.localPath());
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot create the run directory " + directory + ": " + e.getMessage(), e);
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
