package org.cropcast.pipeline.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import picocli.CommandLine;

/** Lets picocli create commands through the injector (their {@code @Inject} constructors). */
public final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    public GuiceFactory(Injector injector) {
        this.injector = requireNonNull(injector, "injector is null");
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type.getName().startsWith("org.cropcast.")) {
            return injector.getInstance(type);
        }
        return CommandLine.defaultFactory().create(type);
    }
}
