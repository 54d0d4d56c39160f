package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.sync.AbstractRunSyncContractTest;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.SyncReport;
import org.cropcast.tracking.sync.SyncTags;
import org.junit.jupiter.api.Test;

/**
 * Core's sync contract from an embedded SQLite source, plus what the pinned Python client reads of
 * the copied lineage at the destination ({@link ModelLineageScenario}: dataset inputs, a logged
 * model with its files, its registered version and alias, a forecast run's model input), every id
 * the destination's.
 */
abstract class AbstractSqliteSourceSyncTest extends AbstractRunSyncContractTest {
    /** The environment the Python client needs to read the destination's artifacts (S3 credentials). */
    protected Map<String, String> destinationEnvironment() {
        return Map.of();
    }

    @Test
    void thePythonClientReadsTheCopiedModelsRegistryAndLineageWithTheDestinationsIds() throws Exception {
        String registered = experimentName("maize-yield");
        ModelLineageScenario.Written original = ModelLineageScenario.write(source.runs(), source.models().orElseThrow(),
                source.artifacts(), work.resolve("scenario"), expA, registered);
        SyncReport report = sync(all());
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        LoggedModel copy = modelCopyOf(original.model().modelId());
        ModelLineageScenario.Written copied = new ModelLineageScenario.Written(expA, copyOf(original.training()).orElseThrow().id(), copy,
                registered, copyOf(original.forecast()).orElseThrow().id());
        ModelLineageScenario.assertPythonReads(copied, destination.uri(), destinationEnvironment(), work,
                line -> line.startsWith("mtag " + SyncTags.PREFIX));
        assertThat(sync(all()).runs()).extracting(RunSyncResult::outcome).containsOnly(RunSyncResult.Outcome.UNCHANGED);
    }
}
