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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inputs every stage starts from: the panel, the settings and the selected regions. */
record StageData(Panel panel, StageSettings settings, BitSet selected, int[] regions, List<String> warnings) {
    private static final Logger LOG = LoggerFactory.getLogger(StageData.class);
    /** Warnings name at most this many regions. */
    static final int NAMED = 8;

    StageData {
        warnings = List.copyOf(warnings);
    }

    static StageData load(StageContext context, StageInputs inputs) {
        PipelineConfig config = context.config();
        if (config.target() == null) {
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "target: the target section is required");
        }
        Panel panel = PanelLoader.load(config.target(), Optional.ofNullable(config.features()), inputs);
        StageSettings settings = StageSettings.resolve(context.settings(), panel);
        List<String> warnings = new ArrayList<>();
        BitSet eligible = RegionSelection.eligible(panel, settings.startYear(), settings.endYear(),
                Optional.ofNullable(config.includeRegions()).orElse(List.of()),
                Optional.ofNullable(config.excludeRegions()).orElse(List.of()),
                Optional.ofNullable(config.minYearsPerRegion()).orElse(0), warnings);
        BitSet selected = RegionSelection.select(panel, eligible, settings.startYear(), settings.endYear(), settings.threshold(),
                config.target().production());
        if (panel.featureCount() > 0) {
            List<String> without = new ArrayList<>();
            for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
                boolean any = false;
                for (int year = settings.startYear(); year <= settings.endYear() && !any; year++) {
                    any = panel.hasFeatureValues(r, year);
                }
                if (!any) {
                    without.add(panel.regions().get(r));
                }
            }
            if (!without.isEmpty()) {
                warnings.add(without.size() + " of " + selected.cardinality() + " regions of " + panel.targetFile()
                        + " have no feature values in " + settings.startYear() + "-" + settings.endYear() + " of "
                        + config.features().path() + " (they are predicted by their trend alone): " + named(without));
            }
        }
        warnings.forEach(w -> LOG.warn("{}", w));
        return new StageData(panel, settings, selected, selected.stream().toArray(), warnings);
    }

    /** The first {@value #NAMED} names, and how many more. */
    static String named(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
        return names.size() > NAMED ? shown + " and " + (names.size() - NAMED) + " more" : shown;
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
