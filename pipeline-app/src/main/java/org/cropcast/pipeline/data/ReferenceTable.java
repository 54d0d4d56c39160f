package org.cropcast.pipeline.data;

import java.util.List;

/**
 * One reference spec aligned to a {@link Panel}: for each issue (a survey, a monthly forecast) the
 * estimate per panel cell, NaN where the reference has none.
 *
 * @param name the spec's name (unique; artefacts land under {@code datasets/{name}/})
 * @param file the reference file as configured
 * @param issues issue labels in order (the issue column's values, or the wide value columns)
 * @param values {@code values[issue][cell]}
 */
public record ReferenceTable(String name, String file, List<String> issues, double[][] values) {
    public ReferenceTable {
        issues = List.copyOf(issues);
    }
}
