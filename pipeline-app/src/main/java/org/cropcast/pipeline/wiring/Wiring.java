package org.cropcast.pipeline.wiring;

import com.google.inject.Module;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.storage.s3.S3StorageModule;
import org.cropcast.tracking.mlflow.MlflowRestTrackingModule;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;
import org.cropcast.tracking.mlflow.SqliteTrackingModule;

/**
 * Every Guice module of the application: the composition root and one module per adapter (each
 * living in its adapter's module and binding only its own classes). The environment, clock and
 * randomness come from the {@link ProcessContext}.
 */
public final class Wiring {
    private Wiring() {}

    public static List<Module> modules(ProcessContext context) {
        return List.of(
                new CropcastModule(context),
                new SqliteTrackingModule(new SqliteRunStoreFactory(Optional.empty(), SqliteRunStoreFactory.DEFAULT_LOCK_TIMEOUT,
                        context.clock(), context.random())),
                new MlflowRestTrackingModule(context.environment(), context.clock()),
                new S3StorageModule(context.environment()));
    }
}
