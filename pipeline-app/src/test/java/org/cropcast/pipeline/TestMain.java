package org.cropcast.pipeline;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.SwitchingModelStoreFactory;
import org.cropcast.tracking.SwitchingRunStoreFactory;

/**
 * {@code cropcast} with the test stages, for child-process tests (signals, stale runs), and with
 * a moment of the run's life to stop at, chosen by {@value #FAULT}, so that a test can signal or
 * kill the process exactly there (real process, real signal, real store):
 * <ul>
 *   <li>{@code pause-after-claim}: the run directory is claimed, no run exists yet (the tracking
 *       store is about to be opened);</li>
 *   <li>{@code pause-after-create}: the run has just been created, nothing else written (no
 *       {@code metadata_<stage>.yaml}, no params, no heartbeat thread);</li>
 *   <li>{@code oom-after-claim}: the run directory is claimed and the heap is exhausted (a real
 *       {@link OutOfMemoryError}) before the store is opened.</li>
 * </ul>
 * A pause touches the file named by {@value #MARKER} and sleeps up to a minute.
 */
public final class TestMain {
    public static final String FAULT = "CROPCAST_TEST_FAULT";
    public static final String MARKER = "CROPCAST_TEST_FAULT_MARKER";

    private TestMain() {}

    public static void main(String[] args) {
        System.exit(Cropcast.commandLine(ProcessContext.system(), TestStages.module(), faults(System.getenv())).execute(args));
    }

    private static AbstractModule faults(Map<String, String> env) {
        String fault = env.getOrDefault(FAULT, "");
        return new AbstractModule() {
            /** The model store needs the adapter's own run store, not the pausing proxy around it. */
            @Provides
            @Singleton
            ModelStoreFactory unwrapping(SwitchingModelStoreFactory real) {
                return new ModelStoreFactory() {
                    @Override
                    public Set<String> schemes() {
                        return real.schemes();
                    }

                    @Override
                    public ModelStore create(String trackingUri, RunStore runs) {
                        return real.create(trackingUri, PROXIED.getOrDefault(runs, runs));
                    }
                };
            }

            @Provides
            @Singleton
            RunStoreFactory faulty(SwitchingRunStoreFactory real) {
                return new RunStoreFactory() {
                    @Override
                    public Set<String> schemes() {
                        return real.schemes();
                    }

                    @Override
                    public RunStore create(String trackingUri) {
                        switch (fault) {
                            case "pause-after-claim" -> pause(env);
                            case "oom-after-claim" -> TestStages.FoldingStage.exhaustTheHeap();
                            default -> { }
                        }
                        RunStore store = real.create(trackingUri);
                        return fault.equals("pause-after-create") ? pausingAfterCreate(store, env) : store;
                    }
                };
            }
        };
    }

    private static final Map<RunStore, RunStore> PROXIED = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private static RunStore pausingAfterCreate(RunStore store, Map<String, String> env) {
        RunStore proxy = (RunStore) Proxy.newProxyInstance(RunStore.class.getClassLoader(), new Class<?>[] {RunStore.class}, (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("createRun")) {
                pause(env);
            }
            return result;
        });
        PROXIED.put(proxy, store);
        return proxy;
    }

    private static void pause(Map<String, String> env) {
        try {
            Files.writeString(Path.of(env.get(MARKER)), "paused\n");
            Thread.sleep(60_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
