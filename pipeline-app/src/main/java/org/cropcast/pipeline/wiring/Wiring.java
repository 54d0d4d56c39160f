package org.cropcast.pipeline.wiring;

import com.google.inject.Module;
import java.util.List;
import org.cropcast.pipeline.cli.CliContext;

/**
 * Every Guice module of the application: the composition root and one module per adapter
 * (each living in its adapter's module and binding only its own classes).
 */
public final class Wiring {
    private Wiring() {}

    public static List<Module> modules(CliContext context) {
        return List.of(new CropcastModule(context));
    }
}
