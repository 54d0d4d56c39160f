package org.cropcast.tracking;

import java.io.InputStream;
import java.util.List;

/** Delegates the methods every storage must implement and none of the defaults (as a storage that implements only those would). */
class StreamsOnlyStorage implements Storage {
    final Storage delegate;

    StreamsOnlyStorage(Storage delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean supports(Location location) {
        return delegate.supports(location);
    }

    @Override
    public boolean exists(Location location) {
        return delegate.exists(location);
    }

    @Override
    public InputStream newInputStream(Location location) {
        return delegate.newInputStream(location);
    }

    @Override
    public void write(Location location, Writer writer) {
        delegate.write(location, writer);
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(Location location) {
        delegate.delete(location);
    }

    @Override
    public StagedPath stage(Location location) {
        return delegate.stage(location);
    }
}
