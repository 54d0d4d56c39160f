package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingLimits;
import org.mlflow.api.proto.Service;

/**
 * Splits one logical batch into {@code log-batch} requests within the server's limits: at most
 * 1,000 metrics, 100 params, 100 tags, 1,000 entities and 1 MB of JSON per request
 * ({@code MAX_BATCH_LOG_REQUEST_SIZE}). Params go first, then tags, then metrics, so a param
 * conflict is found before anything else of the batch is written.
 */
final class MlflowRestBatches {
    /** The server's limit is 1,000,000 bytes of request JSON; this leaves room for the envelope. */
    static final int MAX_REQUEST_BYTES = 1_000_000 - 1_000;

    private MlflowRestBatches() {}

    static List<Service.LogBatch> split(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        return split(runId, metrics, params, tags, MAX_REQUEST_BYTES);
    }

    static List<Service.LogBatch> split(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags, int maxBytes) {
        List<Service.LogBatch> requests = new ArrayList<>();
        Packer packer = new Packer(runId, maxBytes, requests);
        for (Param p : params) {
            Service.Param param = Service.Param.newBuilder().setKey(p.key()).setValue(p.value()).build();
            packer.add(Kind.PARAM, param, size(param));
        }
        for (Tag t : tags) {
            Service.RunTag tag = Service.RunTag.newBuilder().setKey(t.key()).setValue(t.value()).build();
            packer.add(Kind.TAG, tag, size(tag));
        }
        for (Metric m : metrics) {
            Service.Metric metric = Service.Metric.newBuilder().setKey(m.key()).setValue(m.value())
                    .setTimestamp(m.timestampMillis()).setStep(m.step()).build();
            packer.add(Kind.METRIC, metric, size(metric));
        }
        packer.flush();
        return List.copyOf(requests);
    }

    private static int size(org.mlflow_project.google.protobuf.MessageOrBuilder message) {
        // the entity's JSON plus a separating comma
        return MlflowRestClient.toJson(message).getBytes(UTF_8).length + 1;
    }

    private enum Kind {
        PARAM, TAG, METRIC
    }

    private static final class Packer {
        private final String runId;
        private final int maxBytes;
        private final List<Service.LogBatch> out;
        private Service.LogBatch.Builder current;
        private int bytes;
        private int metrics;
        private int params;
        private int tags;

        Packer(String runId, int maxBytes, List<Service.LogBatch> out) {
            this.runId = runId;
            this.maxBytes = maxBytes;
            this.out = out;
            reset();
        }

        void add(Kind kind, org.mlflow_project.google.protobuf.Message entity, int size) {
            if (size > maxBytes) {
                throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG,
                        "one " + kind.name().toLowerCase(java.util.Locale.ROOT) + " alone is " + size
                                + " bytes of JSON, more than a log-batch request may carry (" + maxBytes + ")");
            }
            boolean full = metrics + params + tags + 1 > TrackingLimits.MAX_ENTITIES_PER_BATCH
                    || bytes + size > maxBytes
                    || (kind == Kind.METRIC && metrics + 1 > TrackingLimits.MAX_METRICS_PER_BATCH)
                    || (kind == Kind.PARAM && params + 1 > TrackingLimits.MAX_PARAMS_PER_BATCH)
                    || (kind == Kind.TAG && tags + 1 > TrackingLimits.MAX_TAGS_PER_BATCH);
            if (full) {
                flush();
            }
            switch (kind) {
                case PARAM -> {
                    current.addParams((Service.Param) entity);
                    params++;
                }
                case TAG -> {
                    current.addTags((Service.RunTag) entity);
                    tags++;
                }
                case METRIC -> {
                    current.addMetrics((Service.Metric) entity);
                    metrics++;
                }
            }
            bytes += size;
        }

        void flush() {
            if (metrics + params + tags > 0) {
                out.add(current.build());
            }
            reset();
        }

        private void reset() {
            current = Service.LogBatch.newBuilder().setRunId(runId);
            bytes = 200;
            metrics = 0;
            params = 0;
            tags = 0;
        }
    }
}
