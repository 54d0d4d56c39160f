package org.cropcast.pipeline.stages;

import java.nio.file.Path;
import org.cropcast.tracking.ArtifactPaths;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;

/**
 * Writes files into the run directory through the storage port and logs each as an artifact under
 * the same relative path (the artifact directory is the file's parent).
 */
final class RunOutputs {
    private final StageContext context;

    RunOutputs(StageContext context) {
        this.context = context;
    }

    Location location(String relativePath) {
        return context.runDirectory().resolve(relativePath);
    }

    /**
     * Writes {@code relativePath} in the run directory with {@code writer}, then logs it. If the
     * writer fails, nothing is published (a previous file there stays as it was) and nothing is
     * logged; an I/O failure (a full disk) is the storage's {@code STORAGE_FAILURE} naming the file,
     * an external failure, whichever writer met it.
     */
    Location write(String relativePath, Storage.Writer writer) {
        Location target = location(relativePath);
        context.storage().write(target, writer);
        log(relativePath);
        return target;
    }

    /** Copies a local file into the run directory at {@code relativePath}, then logs it. */
    Location copy(Path localFile, String relativePath) {
        Location target = location(relativePath);
        context.storage().copy(Location.local(localFile), target);
        log(relativePath);
        return target;
    }

    /** Copies an input (local or object store) into the run directory and logs it. */
    Location copy(Location source, String relativePath) {
        Location target = location(relativePath);
        context.storage().copy(source, target);
        log(relativePath);
        return target;
    }

    /** Logs a file already in the run directory. */
    void log(String relativePath) {
        String normalised = ArtifactPaths.validate(relativePath);
        int slash = normalised.lastIndexOf('/');
        context.run().logArtifact(location(normalised), slash < 0 ? "" : normalised.substring(0, slash));
    }

    /** A local scratch file under the work directory. */
    Path scratch(String relativePath) {
        return context.workDirectory().resolve(ArtifactPaths.validate(relativePath));
    }
}
