package org.cropcast.tracking;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's model registry. Semantics (pinned by {@code AbstractModelStoreContractTest}):
 * <ul>
 *   <li>names follow MLflow's rule (non-empty, no '/' or ':', path-unique); {@link #createRegisteredModel}
 *       returns the existing model if it is there already;</li>
 *   <li>{@link #createModelVersion} makes version max+1 from a <em>READY</em> logged model (source
 *       {@code models:/<model id>}, run the model's source run, storage location the model's artifact
 *       location) and adds {@code {"name", "version"}} to the model's {@value #MODEL_VERSIONS_TAG} tag, as
 *       Python MLflow's {@code register_model} does; a model that is not READY is
 *       {@link ModelErrorCode#INVALID_MODEL_STATE} and nothing is written;</li>
 *   <li>aliases follow MLflow's rule (letters, digits, '_', '-'; not {@code latest}, not {@code v<digits>});
 *       setting an alias moves it;</li>
 *   <li>reads of absent things are {@link Optional#empty()}; writes naming an absent model or version fail
 *       with {@link ModelErrorCode#REGISTERED_MODEL_NOT_FOUND} / {@link ModelErrorCode#MODEL_VERSION_NOT_FOUND}.</li>
 * </ul>
 */
public interface ModelRegistry {
    /** The logged-model tag listing the registered versions made from a model (JSON). */
    String MODEL_VERSIONS_TAG = "mlflow.modelVersions";

    RegisteredModel createRegisteredModel(String name);

    ModelVersion createModelVersion(String name, ModelId modelId);

    void setAlias(String name, String alias, int version);

    /** Sets (replaces) the registered model's description; an empty text clears it, as MLflow's update does. */
    void setRegisteredModelDescription(String name, String description);

    /** Sets (replaces) tags on the registered model. */
    void setRegisteredModelTags(String name, Map<String, String> tags);

    Optional<RegisteredModel> getRegisteredModel(String name);

    Optional<ModelVersion> getModelVersion(String name, int version);

    Optional<ModelVersion> getModelVersionByAlias(String name, String alias);

    /** Every registered model, by name. */
    List<RegisteredModel> listRegisteredModels();

    /** The versions of one model, newest first. */
    List<ModelVersion> listModelVersions(String name);
}
