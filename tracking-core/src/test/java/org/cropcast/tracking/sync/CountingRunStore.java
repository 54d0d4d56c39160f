package org.cropcast.tracking.sync;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.ForwardingRunStore;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;

/**
 * Delegates to a real store, counts every write, and can die (a {@link SimulatedKill}) before the
 * n-th metric batch is written.
 */
final class CountingRunStore extends ForwardingRunStore {
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger metricRows = new AtomicInteger();
    private final AtomicInteger metricBatchesBeforeKill;

    CountingRunStore(RunStore delegate) {
        this(delegate, -1);
    }

    /** Dies when about to write metric batch number {@code killAtMetricBatch} (from 0); -1 never. */
    CountingRunStore(RunStore delegate, int killAtMetricBatch) {
        super(delegate);
        this.metricBatchesBeforeKill = new AtomicInteger(killAtMetricBatch);
    }

    @Override
    public RunInfo createRun(CreateRunRequest request) {
        writes.incrementAndGet();
        return delegate.createRun(request);
    }

    @Override
    public RunInfo reopenRun(RunId runId) {
        writes.incrementAndGet();
        return delegate.reopenRun(runId);
    }

    @Override
    public void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (!metrics.isEmpty() && metricBatchesBeforeKill.getAndDecrement() == 0) {
            throw new SimulatedKill("before a metric batch");
        }
        writes.incrementAndGet();
        metricRows.addAndGet(metrics.size());
        delegate.logBatch(runId, metrics, params, tags);
    }

    @Override
    public void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        writes.incrementAndGet();
        delegate.endRun(runId, status, endTimeMillis);
    }

    @Override
    public void deleteRun(RunId runId) {
        writes.incrementAndGet();
        delegate.deleteRun(runId);
    }
}
