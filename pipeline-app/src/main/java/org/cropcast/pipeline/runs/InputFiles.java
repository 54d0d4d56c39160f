package org.cropcast.pipeline.runs;

import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.Storage;

/**
 * The input files a configuration names (target, features, reference data), resolved against the
 * data root, each checked to exist before a run is created, so that a typo in a path is exit 2
 * without a FAILED run. They are fingerprinted into {@code metadata.yaml}.
 */
public final class InputFiles {
    private InputFiles() {}

    static List<Location> of(String source, PipelineConfig config, Location dataRoot, Storage storage) {
        List<Location> files = new ArrayList<>();
        add(files, source, "target.path", config.target().path(), dataRoot, storage);
        if (config.features() != null) {
            add(files, source, "features.path", config.features().path(), dataRoot, storage);
            if (config.features().daily() != null) {
                add(files, source, "features.daily.path", config.features().daily().path(), dataRoot, storage);
            }
        }
        List<PipelineConfig.ReferenceSpec> specs = config.referenceData() == null ? List.of() : config.referenceData();
        for (int i = 0; i < specs.size(); i++) {
            add(files, source, "reference_data." + i + ".path", specs.get(i).path(), dataRoot, storage);
        }
        return files;
    }

    private static void add(List<Location> files, String source, String key, String path, Location dataRoot, Storage storage) {
        Location file;
        try {
            file = PipelineSettings.resolve(dataRoot, path);
        } catch (CropcastException e) {
            throw new CropcastException(AppErrorCode.CONFIG_INVALID_VALUE, source + ": key '" + key + "': " + e.getMessage(), e);
        }
        if (!storage.exists(file)) {
            throw new CropcastException(AppErrorCode.CONFIG_INVALID_VALUE, Redactor.redact(source) + ": key '" + key
                    + "': input file not found: " + file);
        }
        files.add(file);
    }
}
