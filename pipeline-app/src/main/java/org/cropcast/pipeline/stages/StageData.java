package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig.ReferenceSpec;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.PanelLoader;
import org.cropcast.pipeline.data.ReferenceLoader;
import org.cropcast.pipeline.data.ReferenceTable;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.RegionSelection;
import org.cropcast.tracking.CropcastException;

/** The inputs every stage starts from: the panel, the settings and the selected regions. */
record StageData(Panel panel, StageSettings settings, BitSet selected, int[] regions) {
    static StageData load(StageContext context, StageInputs inputs) {
        PipelineConfig config = context.config();
        Panel panel = PanelLoader.load(config.target(), Optional.ofNullable(config.features()), inputs);
        StageSettings settings = StageSettings.resolve(context.settings(), panel);
        BitSet selected = RegionSelection.select(panel, settings.startYear(), settings.endYear(), settings.threshold(),
                config.target().production());
        return new StageData(panel, settings, selected, selected.stream().toArray());
    }

    List<ReferenceTable> references(PipelineConfig config, StageInputs inputs) {
        List<ReferenceTable> tables = new ArrayList<>();
        if (config.referenceData() == null) {
            return tables;
        }
        for (ReferenceSpec spec : config.referenceData()) {
            tables.add(ReferenceLoader.load(spec, panel, selected, inputs));
        }
        return tables;
    }
}
