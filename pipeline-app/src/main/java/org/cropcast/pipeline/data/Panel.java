package org.cropcast.pipeline.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The region x year panel in dense primitive arrays: cell {@code (r, y)} is index
 * {@code r * years() + (year - firstYear())}; features of a cell are contiguous at
 * {@code cell * featureCount()}. Missing values are NaN.
 *
 * @param regions region keys, in first-seen order of the target file
 * @param firstYear the first year of the panel (union of target and feature years)
 * @param years the number of years
 * @param target the target (yield) per cell
 * @param area the area per cell (all NaN when the target has no area column)
 * @param production the production per cell (all NaN when there is no production column)
 * @param featureNames feature names in column order
 * @param featurePeriods for each feature its period (month 1-12 for long-form features), or 0 for a
 *     wide feature that has no period
 * @param features the features per cell
 * @param targetFile the target file as configured (for messages)
 */
public record Panel(
        List<String> regions,
        int firstYear,
        int years,
        double[] target,
        double[] area,
        double[] production,
        List<String> featureNames,
        int[] featurePeriods,
        double[] features,
        String targetFile) {
    public Panel {
        regions = List.copyOf(regions);
        featureNames = List.copyOf(featureNames);
        requireNonNull(target, "target is null");
        requireNonNull(area, "area is null");
        requireNonNull(production, "production is null");
        requireNonNull(featurePeriods, "featurePeriods is null");
        requireNonNull(features, "features is null");
        requireNonNull(targetFile, "targetFile is null");
    }

    public int regionCount() {
        return regions.size();
    }

    public int featureCount() {
        return featureNames.size();
    }

    public int lastYear() {
        return firstYear + years - 1;
    }

    public boolean containsYear(int year) {
        return year >= firstYear && year <= lastYear();
    }

    public int cell(int region, int year) {
        return region * years + (year - firstYear);
    }

    public double target(int region, int year) {
        return containsYear(year) ? target[cell(region, year)] : Double.NaN;
    }

    /** True if the cell of {@code region} in {@code year} has at least one feature value. */
    public boolean hasFeatureValues(int region, int year) {
        if (!containsYear(year)) {
            return false;
        }
        int offset = cell(region, year) * featureCount();
        for (int f = 0; f < featureCount(); f++) {
            if (!Double.isNaN(features[offset + f])) {
                return true;
            }
        }
        return false;
    }

    /** True if any region has a feature value in {@code year}. */
    public boolean anyFeatureValues(int year) {
        for (int r = 0; r < regionCount(); r++) {
            if (hasFeatureValues(r, year)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same panel with only the features that {@code keep} lets through (in their order): the
     * design of a model fitted on the features observable at an init date.
     */
    public Panel withFeatures(boolean[] keep) {
        if (keep.length != featureCount()) {
            throw new IllegalArgumentException(keep.length + " flags for " + featureCount() + " features");
        }
        int p = featureCount();
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept == p) {
            return this;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        int[] periods = new int[kept];
        for (int f = 0, j = 0; f < p; f++) {
            if (keep[f]) {
                names.add(featureNames.get(f));
                periods[j++] = featurePeriods[f];
            }
        }
        int cells = regionCount() * years;
        double[] selected = new double[cells * kept];
        for (int cell = 0; cell < cells; cell++) {
            for (int f = 0, j = 0; f < p; f++) {
                if (keep[f]) {
                    selected[cell * kept + j++] = features[cell * p + f];
                }
            }
        }
        return new Panel(regions, firstYear, years, target, area, production, names, periods, selected, targetFile);
    }

    /** The first and last year with any observed target value. */
    public int[] targetYearRange() {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int r = 0; r < regionCount(); r++) {
            for (int y = 0; y < years; y++) {
                if (!Double.isNaN(target[r * years + y])) {
                    min = Math.min(min, firstYear + y);
                    max = Math.max(max, firstYear + y);
                }
            }
        }
        return new int[] {min, max};
    }
}
