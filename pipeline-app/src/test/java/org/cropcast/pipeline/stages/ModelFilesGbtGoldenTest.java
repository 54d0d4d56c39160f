package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.ProductionModel;
import org.junit.jupiter.api.Test;

/**
 * A gbt {@code model.json} written before the model file's trees carried {@link GbtSettings}
 * (fit-production of the demo with {@code regression=gbt, gbt.trees=3, gbt.max_depth=2}, kept as
 * {@code model-files/gbt-model-v2.json}) still reads: its settings are the file's, its trees (the
 * all-features model's and each init model's) are readable XGBoost models, and writing it again
 * gives the same keys and values (the keys of {@code gbt} now in two runs, library, model and
 * format then the settings, each alphabetical: JSON objects are unordered, and readers see no
 * difference). An unknown or a missing key inside {@code gbt} is refused.
 */
class ModelFilesGbtGoldenTest {
    private static final String FIXTURE = "/model-files/gbt-model-v2.json";

    @Test
    void aGbtModelFileWrittenBeforeReadsAndWritesTheSameKeysAndValues() throws IOException {
        ProductionModel model;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            model = ModelFiles.read(in, FIXTURE);
        }
        assertThat(model.regression()).isEqualTo("gbt");
        assertThat(model.gbt().library()).isEqualTo("xgboost4j");
        assertThat(model.gbt().settings()).isEqualTo(new GbtSettings(3, 2, 0.03, 0.8, 10.0, 42));
        assertThat(model.initModels()).extracting(ProductionModel.InitModel::regression).containsExactly("none", "gbt", "gbt");
        assertThat(model.initModels().get(1).gbt().settings()).isEqualTo(model.gbt().settings());
        // the params (gbt.<key> of the logged model and of the hindcast) are named as the file's keys, valued as their text
        assertThat(model.gbt().settings().params()).containsExactly(java.util.Map.entry("trees", "3"),
                java.util.Map.entry("max_depth", "2"), java.util.Map.entry("learning_rate", "0.03"),
                java.util.Map.entry("subsample", "0.8"), java.util.Map.entry("min_child_weight", "10.0"),
                java.util.Map.entry("seed", "42"));

        FittedModel fitted = model.toFitted();
        assertThat(fitted.trees()).isPresent();
        for (ProductionModel.InitModel init : model.initModels()) {
            List<String> names = init.features().stream().map(ProductionModel.Feature::name).toList();
            assertThat(model.modelFor(names)).hasValueSatisfying(m -> assertThat(m.trees().isPresent())
                    .isEqualTo("gbt".equals(init.regression())));
        }

        JsonMapper json = JsonMapper.builder().build();
        JsonNode original;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            original = json.readTree(in);
        }
        assertThat(json.readTree(ModelFiles.toJson(model))).isEqualTo(original);
        java.util.Set<String> gbtKeys = new java.util.TreeSet<>();
        original.get("gbt").fieldNames().forEachRemaining(gbtKeys::add);
        gbtKeys.removeAll(java.util.Set.of("library", "format", "model"));
        assertThat(model.gbt().settings().params().keySet()).containsExactlyInAnyOrderElementsOf(gbtKeys);
        String text;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // an unknown key in gbt is refused as anywhere else in the file
        String unknown = text.replaceFirst("\"seed\" : 42,", "\"seed\" : 42, \"colsample\" : 0.5,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelFiles.read(
                new java.io.ByteArrayInputStream(unknown.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "x.json"))
                .hasMessageContaining("colsample");
        String missing = text.replaceFirst("\"seed\" : 42,", "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelFiles.read(
                new java.io.ByteArrayInputStream(missing.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "x.json"))
                .hasMessageContaining("seed");
    }
}
