package org.cropcast.pipeline.stages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.data.PanelLoader;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.StagedPath;

/**
 * Resolves configured input paths against the data root (local or object store) and stages
 * object-store inputs to local temporary copies, removed on {@link #close()}.
 */
final class StageInputs implements PanelLoader.Inputs, AutoCloseable {
    private final StageContext context;
    private final Map<String, StagedPath> staged = new HashMap<>();
    private final List<StagedPath> order = new ArrayList<>();

    StageInputs(StageContext context) {
        this.context = context;
    }

    /** A configured path: absolute or with a scheme as is, otherwise relative to data_root. */
    Location location(String configured) {
        return PipelineSettings.resolve(context.dataRoot(), configured);
    }

    @Override
    public Path local(String configured) {
        StagedPath path = staged.get(configured);
        if (path == null) {
            path = context.storage().stage(location(configured));
            staged.put(configured, path);
            order.add(path);
        }
        return path.path();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (StagedPath path : order) {
            try {
                path.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        staged.clear();
        order.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
