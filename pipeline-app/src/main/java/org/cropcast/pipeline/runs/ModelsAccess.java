package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.Suggestions;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.ModelErrorCode;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.ModelUri;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingAdapters;

/**
 * The model registry and logged models of a tracking backend, for the {@code models} commands and
 * for {@code run forecast --model}: resolves {@code models:/} URIs with one-line errors that name
 * what is missing and what exists.
 */
public final class ModelsAccess {
    private final RunStoreFactory backends;
    private final TrackingAdapters adapters;
    private final ModelStoreFactory modelBackends;
    private final ArtifactStore artifacts;
    private final ProcessContext context;
    private final ConfigLoader loader;

    @Inject
    public ModelsAccess(RunStoreFactory backends, ModelStoreFactory modelBackends, ArtifactStore artifacts, ProcessContext context,
            ConfigLoader loader, TrackingAdapters adapters) {
        this.adapters = requireNonNull(adapters, "adapters is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.modelBackends = requireNonNull(modelBackends, "modelBackends is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.context = requireNonNull(context, "context is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    /** A model URI resolved: the logged model and, for a registry URI, the version it names. */
    public record Resolved(LoggedModel model, Optional<ModelVersion> version) {}

    /** An open backend; close it when done. */
    public final class Session implements AutoCloseable {
        private final TrackingTarget target;
        private final RunStore runs;
        private final ModelStore models;

        private Session(TrackingTarget target, RunStore runs) {
            this.target = target;
            this.runs = runs;
            ModelStore opened;
            try {
                opened = modelBackends.create(target.uri(), runs);
            } catch (RuntimeException e) {
                runs.close();
                throw e;
            }
            this.models = opened;
        }

        public TrackingTarget target() {
            return target;
        }

        public ModelStore models() {
            return models;
        }

        /** The artifact store serving the models' files. */
        public ArtifactStore artifacts() {
            return artifacts;
        }

        public RegisteredModel registered(String name) {
            return models.getRegisteredModel(name).orElseThrow(() -> unknownModel(name));
        }

        private CropcastException unknownModel(String name) {
            List<String> known = models.listRegisteredModels().stream().map(RegisteredModel::name).toList();
            return new CropcastException(ModelErrorCode.REGISTERED_MODEL_NOT_FOUND, "no registered model '" + name + "' in "
                    + target.display() + Suggestions.didYouMean(name, known) + "; registered models: "
                    + (known.isEmpty() ? "none (run fit-production first)" : String.join(", ", known)));
        }

        /** Resolves {@code models:/<id>}, {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}. */
        public Resolved resolve(String uri) {
            ModelUri parsed = ModelUri.parse(uri);
            if (parsed.modelId().isPresent()) {
                LoggedModel model = models.getLoggedModel(parsed.modelId().get()).orElseThrow(() -> new CropcastException(
                        ModelErrorCode.MODEL_NOT_FOUND, "no logged model " + parsed.modelId().get() + " in " + target.display()));
                return new Resolved(model, Optional.empty());
            }
            String name = parsed.name().orElseThrow();
            RegisteredModel registered = registered(name);
            ModelVersion version;
            if (parsed.version().isPresent()) {
                int number = parsed.version().get();
                version = models.getModelVersion(name, number).orElseThrow(() -> new CropcastException(
                        ModelErrorCode.MODEL_VERSION_NOT_FOUND, "registered model '" + name + "' has no version " + number + "; versions: "
                                + versions(name)));
            } else {
                String alias = parsed.alias().orElseThrow();
                version = models.getModelVersionByAlias(name, alias).orElseThrow(() -> new CropcastException(ModelErrorCode.ALIAS_NOT_FOUND,
                        "registered model '" + name + "' has no alias '" + alias + "'; aliases: " + (registered.aliases().isEmpty()
                                ? "none (set one with cropcast models promote " + name + " VERSION --alias " + alias + ")"
                                : String.join(", ", registered.aliases().keySet()))));
            }
            LoggedModel model = version.modelId().flatMap(models::getLoggedModel).orElseThrow(() -> new CropcastException(
                    ModelErrorCode.MODEL_NOT_FOUND, version.uri() + " has the source '" + version.source()
                            + "', which is not a logged model of " + target.display() + "; cropcast forecasts only with MLflow 3 logged models"));
            return new Resolved(model, Optional.of(version));
        }

        private String versions(String name) {
            List<ModelVersion> all = models.listModelVersions(name);
            return all.isEmpty() ? "none" : String.join(", ", all.stream().map(v -> Integer.toString(v.version())).toList());
        }

        /** Copies one file of a logged model into {@code directory}. */
        public Path download(LoggedModel model, String file, Path directory) {
            Path target = directory.resolve(file);
            try (InputStream in = artifacts.open(model.artifactLocation(), file)) {
                Files.createDirectories(directory);
                Files.copy(in, target);
                return target;
            } catch (IOException e) {
                throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot copy " + file + " of " + model.uri() + ": "
                        + e.getMessage(), e);
            } catch (CropcastException e) {
                if (e.errorCode() == TrackingErrorCode.LOCATION_NOT_FOUND) {
                    throw new CropcastException(ModelErrorCode.MODEL_NOT_FOUND, model.uri() + " has no " + file + " at "
                            + model.artifactLocation(), e);
                }
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                models.close();
            } finally {
                runs.close();
            }
        }
    }

    /** Opens the backend named by the options, which must exist already. */
    public Session open(Optional<String> trackingUri, Optional<Path> configFile) {
        TrackingTarget target = RunsReader.existingTarget(trackingUri, configFile, loader, adapters, context);
        return new Session(target, backends.create(target.uri()));
    }
}
