package org.cropcast.tracking;

import java.nio.file.Path;

/**
 * A local copy of a storage location, living in a temporary directory that {@link #close()}
 * removes (also after a failure). For a local location no copy is made and close does nothing.
 */
public interface StagedPath extends AutoCloseable {
    /** The local file or directory holding the staged content. */
    Path path();

    @Override
    void close();
}
