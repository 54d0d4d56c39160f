package org.cropcast.pipeline.runs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.stages.ModelFiles;
import org.cropcast.tracking.Fingerprints;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;

/**
 * The params beyond the nine bounded ones: the hash of the resolved configuration and every
 * setting that changes the model (logged stage-prefixed, e.g. {@code hindcast/ridge_alpha}), so
 * that {@code runs compare} shows what differs between two hindcasts. A resume checks them for
 * conflicts like the bounded params. Absent optional settings are logged as {@value #NONE}.
 */
public final class ModelParams {
    static final String NONE = "none";
    /** A list longer than this is logged as the sha256 prefix of its text and its length. */
    static final int MAX_LIST_TEXT = 400;

    private ModelParams() {}

    /**
     * @param inputs the input files as {@link InputFiles#of} lists them: target, features, then the
     *     references in order; their sha256 prefixes are params for the hindcast and fit-production
     *     (not for forecast: later init dates may read updated features)
     * @param storage reads the inputs for their digests; null: no digest params
     */
    public static Map<String, String> of(String stage, PipelineConfig c, List<Location> inputs, Storage storage) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("config_hash", ModelFiles.configHash(c));
        params.put("ridge_alpha", String.valueOf(c.ridgeAlpha()));
        GbtSettings.of(c).ifPresent(gbt -> gbt.params().forEach((key, value) -> params.put("gbt." + key, value)));
        params.put("cv_scheme", String.valueOf(c.cvScheme()));
        params.put("min_train_years", String.valueOf(c.minTrainYears()));
        params.put("target.path", String.valueOf(c.target().path()));
        params.put("target.yield_column", String.valueOf(c.target().yieldColumn()));
        Optional<PipelineConfig.FeatureSpec> features = Optional.ofNullable(c.features());
        params.put("features.path", features.map(PipelineConfig.FeatureSpec::path).orElse(NONE));
        params.put("features.layout", features.map(PipelineConfig.FeatureSpec::layout).orElse(NONE));
        params.put("features.variables", list(features.map(PipelineConfig.FeatureSpec::variables).orElse(null)));
        params.put("features.periods", features.map(ModelParams::periods).orElse(NONE));
        params.put("features.squared", list(features.map(PipelineConfig.FeatureSpec::squared).orElse(null)));
        Optional<PipelineConfig.DailySpec> daily = features.map(PipelineConfig.FeatureSpec::daily);
        if (daily.isPresent()) {
            params.put("features.daily.path", daily.get().path());
            params.put("features.daily.degree_days", daily.get().name() + " base " + daily.get().base() + " cap " + daily.get().cap()
                    + " months " + list(daily.get().periods()));
        }
        params.put("init_dates", list(c.initDates()));
        params.put("include_regions", list(c.includeRegions()));
        params.put("exclude_regions", list(c.excludeRegions()));
        params.put("min_years_per_region", c.minYearsPerRegion() == null ? NONE : c.minYearsPerRegion().toString());
        if (!stage.equals("forecast") && storage != null && !inputs.isEmpty()) {
            params.put("target.sha256", Fingerprints.sha256Prefix(storage, inputs.get(0)));
            int next = 1;
            if (c.features() != null) {
                params.put("features.sha256", Fingerprints.sha256Prefix(storage, inputs.get(next++)));
                if (c.features().daily() != null) {
                    params.put("features.daily.sha256", Fingerprints.sha256Prefix(storage, inputs.get(next++)));
                }
            }
            List<PipelineConfig.ReferenceSpec> specs = Optional.ofNullable(c.referenceData()).orElse(List.of());
            for (int i = 0; i < specs.size() && next < inputs.size(); i++) {
                params.put("reference_data." + specs.get(i).name() + ".sha256", Fingerprints.sha256Prefix(storage, inputs.get(next++)));
            }
        }
        return params;
    }

    /** long: the pivoted periods; wide: column=period for the columns with one. */
    private static String periods(PipelineConfig.FeatureSpec spec) {
        if ("long".equals(spec.layout())) {
            return list(spec.periods());
        }
        Map<String, Integer> byColumn = new TreeMap<>();
        for (String variable : Optional.ofNullable(spec.variables()).orElse(List.of())) {
            Integer period = Optional.ofNullable(spec.columnPeriods()).map(m -> m.get(variable)).orElse(spec.period());
            if (period != null && period != 0) {
                byColumn.put(variable, period);
            }
        }
        if (byColumn.isEmpty()) {
            return NONE;
        }
        StringBuilder text = new StringBuilder();
        byColumn.forEach((column, period) -> text.append(text.length() == 0 ? "" : ",").append(column).append('=').append(period));
        return bounded(text.toString());
    }

    private static String list(List<?> values) {
        if (values == null || values.isEmpty()) {
            return NONE;
        }
        StringBuilder text = new StringBuilder();
        for (Object value : values) {
            text.append(text.length() == 0 ? "" : ",").append(value);
        }
        return bounded(text.toString());
    }

    private static String bounded(String text) {
        if (text.length() <= MAX_LIST_TEXT) {
            return text;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, Fingerprints.PREFIX_LENGTH) + " (" + text.length()
                    + " characters)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
