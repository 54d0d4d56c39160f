package org.cropcast.tracking;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A storage that delegates and records which copy and stage calls it served. */
class RecordingStorage implements Storage {
    private final Storage delegate;
    final List<String> calls = new CopyOnWriteArrayList<>();

    RecordingStorage(Storage delegate) {
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
    public OutputStream newOutputStream(Location location) {
        return delegate.newOutputStream(location);
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void copy(Location source, Location target) {
        calls.add("copy " + source + " -> " + target);
        delegate.copy(source, target);
    }

    @Override
    public boolean copiesServerSide(Location source, Location target) {
        return delegate.copiesServerSide(source, target);
    }

    @Override
    public void delete(Location location) {
        delegate.delete(location);
    }

    @Override
    public StagedPath stage(Location location) {
        calls.add("stage " + location);
        return delegate.stage(location);
    }
}
