package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The adapters on the class path, found through {@link ServiceLoader} as JDBC finds its drivers:
 * every {@link RunStoreProvider}, {@link StorageProvider} and {@link ArtifactStoreProvider} that a
 * module lists under {@code META-INF/services/}. Core itself registers {@code memory:} tracking,
 * {@code file:} and {@code memory:} storage; {@code tracking-mlflow-adapter} adds {@code sqlite:},
 * {@code http:}, {@code https:} and {@code mlflow-artifacts:}; {@code storage-s3-adapter} adds
 * {@code s3:}. Two providers claiming one scheme are refused, naming both.
 *
 * <p>{@link Tracking} uses this; a composition root (a Guice module, for example) can use it too,
 * through {@link #create(TrackingContext)}, to get the three switching implementations.
 */
public final class TrackingAdapters {
    private final Map<String, RunStoreProvider> runStores;
    private final Map<String, StorageProvider> storages;
    private final Map<String, ArtifactStoreProvider> artifactStores;

    private TrackingAdapters(List<RunStoreProvider> runStores, List<StorageProvider> storages,
            List<ArtifactStoreProvider> artifactStores) {
        this.runStores = bySchemes("tracking URI", runStores, RunStoreProvider::schemes);
        this.storages = bySchemes("location", storages, StorageProvider::schemes);
        this.artifactStores = bySchemes("artifact root", artifactStores, ArtifactStoreProvider::schemes);
        for (String scheme : this.artifactStores.keySet()) {
            StorageProvider storage = this.storages.get(scheme);
            if (storage != null) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "the artifact-root scheme '" + scheme
                        + "' is served twice: by the storage " + storage.getClass().getName() + " and by the artifact store "
                        + this.artifactStores.get(scheme).getClass().getName());
            }
        }
    }

    /** The providers registered in {@code META-INF/services/} of the jars {@code loader} sees. */
    public static TrackingAdapters discover(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        return new TrackingAdapters(load(RunStoreProvider.class, loader), load(StorageProvider.class, loader),
                load(ArtifactStoreProvider.class, loader));
    }

    /** Exactly these providers, without discovery (tests, or a tool that wants a fixed set). */
    public static TrackingAdapters of(List<? extends RunStoreProvider> runStores, List<? extends StorageProvider> storages,
            List<? extends ArtifactStoreProvider> artifactStores) {
        return new TrackingAdapters(List.copyOf(runStores), List.copyOf(storages), List.copyOf(artifactStores));
    }

    /**
     * These adapters with {@code provider} serving its tracking-URI schemes in place of the ones
     * found (a tool or a test that configures one adapter differently, for example a shorter SQLite
     * lock timeout). A scheme of {@code provider} that nothing served before is added.
     */
    public TrackingAdapters replacing(RunStoreProvider provider) {
        requireNonNull(provider, "provider is null");
        List<RunStoreProvider> kept = new ArrayList<>();
        kept.add(provider);
        new java.util.LinkedHashSet<>(runStores.values()).stream()
                .filter(p -> java.util.Collections.disjoint(p.schemes(), provider.schemes()))
                .forEach(kept::add);
        return new TrackingAdapters(kept, new ArrayList<>(new java.util.LinkedHashSet<>(storages.values())),
                new ArrayList<>(new java.util.LinkedHashSet<>(artifactStores.values())));
    }

    /**
     * {@code trackingUri} with the relative path it names resolved against {@code directory}, as
     * the provider of its scheme parses it ({@link RunStoreProvider#anchor}); empty when it names no
     * relative path or no provider serves its scheme.
     */
    public Optional<String> anchor(String trackingUri, Path directory) {
        requireNonNull(directory, "directory is null");
        return provider(trackingUri).flatMap(p -> p.anchor(trackingUri, directory));
    }

    /** The local database file of {@code trackingUri} ({@link RunStoreProvider#databaseFile}); empty if it is not one. */
    public Optional<Path> databaseFile(String trackingUri) {
        return provider(trackingUri).flatMap(p -> p.databaseFile(trackingUri));
    }

    private Optional<RunStoreProvider> provider(String trackingUri) {
        requireNonNull(trackingUri, "trackingUri is null");
        return UriSchemes.of(trackingUri).map(runStores::get);
    }

    /** The tracking URI schemes served ({@code memory}, {@code sqlite}, ...), in order. */
    public Set<String> trackingSchemes() {
        return Collections.unmodifiableSet(runStores.keySet());
    }

    /** The location schemes served by a storage, in order. */
    public Set<String> storageSchemes() {
        return Collections.unmodifiableSet(storages.keySet());
    }

    /** The artifact-root schemes served: every storage scheme and every artifact store's, in order. */
    public Set<String> artifactSchemes() {
        Set<String> schemes = new TreeSet<>(storages.keySet());
        schemes.addAll(artifactStores.keySet());
        return Collections.unmodifiableSet(schemes);
    }

    /**
     * The switching implementations, each built once from {@code context}: the run-store factory
     * by tracking-URI scheme (and the model-store factories beside it), the storage by location scheme, and the artifact store by
     * artifact-root scheme (a {@link StorageArtifactStore} over the storage for storage schemes).
     */
    public Components create(TrackingContext context) {
        requireNonNull(context, "context is null");
        Map<RunStoreProvider, RunStoreFactory> factories = new java.util.IdentityHashMap<>();
        Map<String, RunStoreFactory> factoryByScheme = new TreeMap<>();
        runStores.forEach((scheme, provider) -> factoryByScheme.put(scheme, factories.computeIfAbsent(provider, p -> p.create(context))));
        Map<RunStoreProvider, java.util.Optional<ModelStoreFactory>> modelFactories = new java.util.IdentityHashMap<>();
        Map<String, ModelStoreFactory> modelsByScheme = new TreeMap<>();
        runStores.forEach((scheme, provider) -> modelFactories.computeIfAbsent(provider, p -> p.modelStores(context))
                .ifPresent(f -> modelsByScheme.put(scheme, f)));
        Map<StorageProvider, Storage> created = new java.util.IdentityHashMap<>();
        Map<String, Storage> storageByScheme = new TreeMap<>();
        storages.forEach((scheme, provider) -> storageByScheme.put(scheme, created.computeIfAbsent(provider, p -> p.create(context))));
        SwitchingStorage storage = new SwitchingStorage(storageByScheme);
        StorageArtifactStore overStorage = new StorageArtifactStore(storage);
        Map<ArtifactStoreProvider, ArtifactStore> stores = new java.util.IdentityHashMap<>();
        Map<String, ArtifactStore> artifactByScheme = new TreeMap<>();
        storageByScheme.keySet().forEach(scheme -> artifactByScheme.put(scheme, overStorage));
        artifactStores.forEach((scheme, provider) -> artifactByScheme.put(scheme, stores.computeIfAbsent(provider, p -> p.create(context))));
        List<AutoCloseable> closeables = new ArrayList<>();
        created.values().stream().filter(AutoCloseable.class::isInstance).map(AutoCloseable.class::cast).forEach(closeables::add);
        stores.values().stream().filter(AutoCloseable.class::isInstance).map(AutoCloseable.class::cast).forEach(closeables::add);
        return new Components(new SwitchingRunStoreFactory(factoryByScheme), modelsByScheme, storage,
                new SwitchingArtifactStore(artifactByScheme), closeables);
    }

    /**
     * What {@link #create} builds.
     *
     * @param runStores opens the run store of a tracking URI
     * @param modelStores the model-store factory of each tracking URI scheme whose backend has one
     * @param storage reads and writes locations of every storage scheme
     * @param artifactStore uploads and reads the artifacts of runs, by artifact-root scheme
     * @param closeables the storages and artifact stores that hold resources (clients, pools), to close at the end
     */
    public record Components(SwitchingRunStoreFactory runStores, Map<String, ModelStoreFactory> modelStores,
            SwitchingStorage storage, SwitchingArtifactStore artifactStore, List<AutoCloseable> closeables) {
        public Components {
            requireNonNull(runStores, "runStores is null");
            modelStores = Map.copyOf(requireNonNull(modelStores, "modelStores is null"));
            requireNonNull(storage, "storage is null");
            requireNonNull(artifactStore, "artifactStore is null");
            closeables = List.copyOf(requireNonNull(closeables, "closeables is null"));
        }
    }

    private static <P> List<P> load(Class<P> service, ClassLoader loader) {
        List<P> providers = new ArrayList<>();
        try {
            ServiceLoader.load(service, loader).forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "a " + service.getSimpleName()
                    + " registered on the class path cannot be loaded: " + e.getMessage()
                    + " (is one of the adapter's dependencies missing?)", e);
        }
        return providers;
    }

    private static <P> Map<String, P> bySchemes(String kind, List<P> providers, java.util.function.Function<P, Set<String>> schemes) {
        Map<String, P> byScheme = new TreeMap<>();
        for (P provider : providers) {
            for (String scheme : schemes.apply(provider)) {
                P previous = byScheme.putIfAbsent(scheme, provider);
                if (previous != null && previous != provider) {
                    throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "two adapters on the class path serve the "
                            + kind + " scheme '" + scheme + "': " + previous.getClass().getName() + " and "
                            + provider.getClass().getName());
                }
            }
        }
        return byScheme;
    }
}
