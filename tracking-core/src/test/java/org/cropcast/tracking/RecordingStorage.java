package org.cropcast.tracking;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A storage that delegates and records which copy and stage calls it served. */
class RecordingStorage extends StreamsOnlyStorage {
    final List<String> calls = new CopyOnWriteArrayList<>();

    RecordingStorage(Storage delegate) {
        super(delegate);
    }

    @Override
    public boolean createIfAbsent(Location location, byte[] content) {
        return delegate.createIfAbsent(location, content);
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
    public int discardIncompleteWrites(Location prefix) {
        return delegate.discardIncompleteWrites(prefix);
    }

    @Override
    public StagedPath stage(Location location) {
        calls.add("stage " + location);
        return delegate.stage(location);
    }
}
