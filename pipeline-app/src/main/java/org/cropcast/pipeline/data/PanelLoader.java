package org.cropcast.pipeline.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig.FeatureSpec;
import org.cropcast.pipeline.config.PipelineConfig.TargetSpec;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/** Reads the target panel and the features into a {@link Panel}. */
public final class PanelLoader {
    private PanelLoader() {}

    /** Resolves a configured path to a local file (staging object-store inputs). */
    @FunctionalInterface
    public interface Inputs {
        Path local(String configuredPath);
    }

    public static Panel load(TargetSpec target, Optional<FeatureSpec> features, Inputs inputs) {
        require(target.path(), "target.path");
        String regionColumn = require(target.regionColumn(), "target.region_column");
        String yearColumn = require(target.yearColumn(), "target.year_column");
        String yieldColumn = require(target.yieldColumn(), "target.yield_column");
        String file = target.path();
        List<String> columns = new ArrayList<>(List.of(regionColumn, yearColumn, yieldColumn));
        int areaIndex = target.area().map(c -> addColumn(columns, c)).orElse(-1);
        int productionIndex = target.production().map(c -> addColumn(columns, c)).orElse(-1);
        int filterIndex = filter(target.filterColumn(), target.filterValue(), "target").map(c -> addColumn(columns, c)).orElse(-1);
        String filterValue = target.filterValue();

        Map<String, Integer> regionIndex = new HashMap<>();
        List<String> regions = new ArrayList<>();
        NumberColumns.Ints rowRegion = new NumberColumns.Ints();
        NumberColumns.Ints rowYear = new NumberColumns.Ints();
        NumberColumns.Ints rowNumber = new NumberColumns.Ints();
        NumberColumns.Doubles rowTarget = new NumberColumns.Doubles();
        NumberColumns.Doubles rowArea = new NumberColumns.Doubles();
        NumberColumns.Doubles rowProduction = new NumberColumns.Doubles();
        TableReader.scan(inputs.local(file), file, columns, (row, cells) -> {
            if (filterIndex >= 0 && !cells[filterIndex].trim().equals(filterValue)) {
                return;
            }
            String region = cells[0].trim();
            if (region.isEmpty()) {
                throw new CropcastException(PipelineErrorCode.NON_NUMERIC_VALUE,
                        file + ": column '" + regionColumn + "', row " + row + ": the region is empty");
            }
            Integer r = regionIndex.get(region);
            if (r == null) {
                r = regions.size();
                regionIndex.put(region, r);
                regions.add(region);
            }
            rowRegion.add(r);
            rowYear.add(Cells.year(cells[1], Cells.YearFormat.INTEGER, file, yearColumn, row));
            rowNumber.add((int) row);
            rowTarget.add(Cells.number(cells[2], file, yieldColumn, row));
            rowArea.add(areaIndex < 0 ? Double.NaN : Cells.number(cells[areaIndex], file, columns.get(areaIndex), row));
            rowProduction.add(productionIndex < 0 ? Double.NaN
                    : Cells.number(cells[productionIndex], file, columns.get(productionIndex), row));
        });
        if (rowRegion.size() == 0) {
            throw new CropcastException(PipelineErrorCode.EMPTY_SELECTION, file + ": no rows"
                    + (filterIndex >= 0 ? " where " + target.filterColumn() + " = '" + filterValue + "'" : ""));
        }
        int minYear = Integer.MAX_VALUE;
        int maxYear = Integer.MIN_VALUE;
        for (int i = 0; i < rowYear.size(); i++) {
            minYear = Math.min(minYear, rowYear.get(i));
            maxYear = Math.max(maxYear, rowYear.get(i));
        }

        FeatureRows featureRows = features.map(spec -> readFeatures(spec, regionIndex, file, inputs)).orElse(null);
        if (featureRows != null && featureRows.rows.size() > 0) {
            minYear = Math.min(minYear, featureRows.minYear);
            maxYear = Math.max(maxYear, featureRows.maxYear);
        }
        int years = maxYear - minYear + 1;
        int cells = regions.size() * years;
        double[] targetValues = filled(cells);
        double[] area = filled(cells);
        double[] production = filled(cells);
        int[] firstRow = new int[cells];
        for (int i = 0; i < rowRegion.size(); i++) {
            int cell = rowRegion.get(i) * years + rowYear.get(i) - minYear;
            if (firstRow[cell] != 0) {
                throw new CropcastException(PipelineErrorCode.DUPLICATE_ROW, file + ": rows " + firstRow[cell] + " and "
                        + rowNumber.get(i) + " both hold region '" + regions.get(rowRegion.get(i)) + "', year "
                        + rowYear.get(i) + " (columns '" + regionColumn + "', '" + yearColumn + "')");
            }
            firstRow[cell] = rowNumber.get(i);
            targetValues[cell] = rowTarget.get(i);
            area[cell] = rowArea.get(i);
            production[cell] = rowProduction.get(i);
        }
        if (featureRows == null) {
            return new Panel(regions, minYear, years, targetValues, area, production, List.of(), new int[0], new double[0], file);
        }
        double[] featureValues = featureRows.toDense(regions, minYear, years);
        Panel panel = new Panel(regions, minYear, years, targetValues, area, production, featureRows.names,
                featureRows.periodOfFeature, featureValues, file);
        return withSquares(panel, featureRows.variableOfFeature(), features.get().squared());
    }

    /**
     * The panel with an engineered feature {@code <feature>_sq} (the square of the raw value, same
     * period) after the features, for every feature of a variable in {@code squared}.
     */
    static Panel withSquares(Panel panel, List<String> variableOfFeature, List<String> squared) {
        if (squared == null || squared.isEmpty()) {
            return panel;
        }
        List<Integer> sources = new ArrayList<>();
        for (int f = 0; f < variableOfFeature.size(); f++) {
            if (squared.contains(variableOfFeature.get(f))) {
                sources.add(f);
            }
        }
        int p = panel.featureCount();
        int q = p + sources.size();
        List<String> names = new ArrayList<>(panel.featureNames());
        int[] periods = Arrays.copyOf(panel.featurePeriods(), q);
        for (int i = 0; i < sources.size(); i++) {
            names.add(panel.featureNames().get(sources.get(i)) + "_sq");
            periods[p + i] = panel.featurePeriods()[sources.get(i)];
        }
        int cells = panel.regionCount() * panel.years();
        double[] values = new double[cells * q];
        for (int cell = 0; cell < cells; cell++) {
            System.arraycopy(panel.features(), cell * p, values, cell * q, p);
            for (int i = 0; i < sources.size(); i++) {
                double x = panel.features()[cell * p + sources.get(i)];
                values[cell * q + p + i] = x * x;
            }
        }
        return new Panel(panel.regions(), panel.firstYear(), panel.years(), panel.target(), panel.area(), panel.production(),
                names, periods, values, panel.targetFile());
    }

    private static FeatureRows readFeatures(FeatureSpec spec, Map<String, Integer> regionIndex, String targetFile, Inputs inputs) {
        String file = require(spec.path(), "features.path");
        String layout = Optional.ofNullable(spec.layout()).orElse("wide").toLowerCase(Locale.ROOT);
        String regionColumn = require(spec.regionColumn(), "features.region_column");
        String yearColumn = require(spec.yearColumn(), "features.year_column");
        if (spec.variables() == null || spec.variables().isEmpty()) {
            throw config("features.variables: list at least one feature column");
        }
        List<String> variables = spec.variables();
        List<String> columns = new ArrayList<>(List.of(regionColumn, yearColumn));
        FeatureRows rows = new FeatureRows(file, regionColumn, yearColumn);
        int firstVariable;
        switch (layout) {
            case "wide" -> {
                firstVariable = 2;
                rows.periods = new int[] {0};
                rows.periodOfFeature = widePeriods(spec);
                rows.names.addAll(variables);
            }
            case "long" -> {
                String periodColumn = require(spec.periodColumn(), "features.period_column");
                if (spec.periods() == null || spec.periods().isEmpty()) {
                    throw config("features.periods: list the periods to pivot (e.g. [5, 6, 7, 8])");
                }
                columns.add(periodColumn);
                firstVariable = 3;
                rows.periodColumn = periodColumn;
                rows.periods = spec.periods().stream().mapToInt(Integer::intValue).toArray();
                rows.periodOfFeature = new int[variables.size() * rows.periods.length];
                int f = 0;
                for (String variable : variables) {
                    for (int period : rows.periods) {
                        rows.names.add(longName(variable, period));
                        rows.periodOfFeature[f++] = period;
                    }
                }
            }
            default -> throw config("features.layout: unknown layout '" + spec.layout() + "' (expected wide or long)");
        }
        columns.addAll(variables);
        Map<Integer, Integer> periodIndex = new HashMap<>();
        for (int i = 0; i < rows.periods.length; i++) {
            periodIndex.put(rows.periods[i], i);
        }
        rows.variables = variables.size();
        rows.variableNames.addAll(variables);
        TableReader.scan(inputs.local(file), file, columns, (row, cells) -> {
            String name = cells[0].trim();
            Integer r = regionIndex.get(name);
            rows.fileRows++;
            if (r == null) {
                if (rows.unmatchedExample == null) {
                    rows.unmatchedExample = name;
                }
                return;
            }
            int period = 0;
            if (firstVariable == 3) {
                Integer p = periodIndex.get(Cells.period(cells[2], file, columns.get(2), row));
                if (p == null) {
                    return;
                }
                period = p;
            }
            int year = Cells.year(cells[1], Cells.YearFormat.INTEGER, file, yearColumn, row);
            rows.add(r, year, period, (int) row);
            for (int v = 0; v < rows.variables; v++) {
                rows.values.add(Cells.number(cells[firstVariable + v], file, columns.get(firstVariable + v), row));
            }
        });
        if (rows.rows.size() == 0 && rows.fileRows > 0) {
            String targetExample = regionIndex.keySet().stream().sorted().findFirst().orElse("");
            boolean caseOnly = regionIndex.keySet().stream().anyMatch(t -> t.equalsIgnoreCase(rows.unmatchedExample));
            throw new CropcastException(PipelineErrorCode.FEATURES_MATCH_NO_REGION, file + ": no region of the features ('"
                    + regionColumn + "', e.g. '" + rows.unmatchedExample + "') matches a region of the target " + targetFile
                    + " (e.g. '" + targetExample + "')" + (caseOnly ? "; the names differ in case" : ""));
        }
        return rows;
    }

    /** The feature a long-layout variable gives for one period: {@code <variable>_mMM}. */
    private static String longName(String variable, int period) {
        return String.format(Locale.ROOT, "%s_m%02d", variable, period);
    }

    /**
     * The features a configuration's features section gives, in the panel's order, without reading
     * the file: the wide columns or the long layout's {@code <variable>_mMM}, then the
     * {@code <feature>_sq} of every feature of a {@code squared} variable. What a model fitted on
     * this configuration must have.
     */
    public static List<String> featureNames(FeatureSpec spec) {
        List<String> variables = Optional.ofNullable(spec.variables()).orElse(List.of());
        boolean wide = !"long".equalsIgnoreCase(Optional.ofNullable(spec.layout()).orElse("wide"));
        List<Integer> periods = wide ? List.of(0) : Optional.ofNullable(spec.periods()).orElse(List.of());
        List<String> names = new ArrayList<>();
        List<String> squares = new ArrayList<>();
        List<String> squared = Optional.ofNullable(spec.squared()).orElse(List.of());
        for (String variable : variables) {
            for (int period : periods) {
                String name = wide ? variable : longName(variable, period);
                names.add(name);
                if (squared.contains(variable)) {
                    squares.add(name + "_sq");
                }
            }
        }
        names.addAll(squares);
        return names;
    }

    /** The columns the features section reads from its file: region, year, the long layout's period, the variables. */
    public static List<String> featureColumns(FeatureSpec spec) {
        List<String> columns = new ArrayList<>();
        java.util.stream.Stream.of(spec.regionColumn(), spec.yearColumn(),
                "long".equalsIgnoreCase(spec.layout()) ? spec.periodColumn() : null).filter(java.util.Objects::nonNull).forEach(columns::add);
        columns.addAll(Optional.ofNullable(spec.variables()).orElse(List.of()));
        return columns;
    }

    /** The period of each wide column: {@code column_periods} for the column, else {@code period}, else 0 (none). */
    private static int[] widePeriods(FeatureSpec spec) {
        List<String> variables = spec.variables();
        Map<String, Integer> byColumn = Optional.ofNullable(spec.columnPeriods()).orElse(Map.of());
        int[] periods = new int[variables.size()];
        for (int i = 0; i < periods.length; i++) {
            Integer period = byColumn.getOrDefault(variables.get(i), spec.period());
            periods[i] = period == null ? 0 : period; // range checked by the configuration's validation
        }
        return periods;
    }

    private static final class FeatureRows {
        final String file;
        final String regionColumn;
        final String yearColumn;
        String periodColumn;
        final List<String> names = new ArrayList<>();
        final List<String> variableNames = new ArrayList<>();
        int[] periodOfFeature;
        int[] periods;
        int variables;
        long fileRows;
        String unmatchedExample;
        final NumberColumns.Ints rows = new NumberColumns.Ints();
        final NumberColumns.Ints years = new NumberColumns.Ints();
        final NumberColumns.Ints periodIndexes = new NumberColumns.Ints();
        final NumberColumns.Ints rowNumbers = new NumberColumns.Ints();
        final NumberColumns.Doubles values = new NumberColumns.Doubles();
        int minYear = Integer.MAX_VALUE;
        int maxYear = Integer.MIN_VALUE;

        FeatureRows(String file, String regionColumn, String yearColumn) {
            this.file = file;
            this.regionColumn = regionColumn;
            this.yearColumn = yearColumn;
        }

        /** The variable each feature was made from (wide: itself). */
        List<String> variableOfFeature() {
            List<String> out = new ArrayList<>();
            int perVariable = names.size() / Math.max(1, variableNames.size());
            for (String variable : variableNames) {
                for (int i = 0; i < perVariable; i++) {
                    out.add(variable);
                }
            }
            return out;
        }

        void add(int region, int year, int periodIndex, int rowNumber) {
            rows.add(region);
            years.add(year);
            periodIndexes.add(periodIndex);
            rowNumbers.add(rowNumber);
            minYear = Math.min(minYear, year);
            maxYear = Math.max(maxYear, year);
        }

        double[] toDense(List<String> regions, int firstYear, int yearCount) {
            int p = names.size();
            int periodCount = periods.length;
            double[] dense = filled(regions.size() * yearCount * p);
            BitSet seen = new BitSet(regions.size() * yearCount * periodCount);
            for (int i = 0; i < rows.size(); i++) {
                int cell = rows.get(i) * yearCount + years.get(i) - firstYear;
                int slot = cell * periodCount + periodIndexes.get(i);
                if (seen.get(slot)) {
                    throw new CropcastException(PipelineErrorCode.DUPLICATE_ROW, file + ": row " + rowNumbers.get(i)
                            + " repeats region '" + regions.get(rows.get(i)) + "', year " + years.get(i)
                            + (periodColumn == null ? "" : ", " + periodColumn + " " + periods[periodIndexes.get(i)])
                            + " (columns '" + regionColumn + "', '" + yearColumn + "')");
                }
                seen.set(slot);
                for (int v = 0; v < variables; v++) {
                    // long layout: feature index = variable * periods + period; wide: variable
                    dense[cell * p + v * periodCount + periodIndexes.get(i)] = values.get(i * variables + v);
                }
            }
            return dense;
        }
    }

    static double[] filled(int size) {
        double[] values = new double[size];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    private static int addColumn(List<String> columns, String column) {
        columns.add(column);
        return columns.size() - 1;
    }

    static Optional<String> filter(String column, String value, String section) {
        if (column == null && value == null) {
            return Optional.empty();
        }
        if (column == null || value == null) {
            throw config(section + ": filter_column and filter_value go together");
        }
        return Optional.of(column);
    }

    static String require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw config(key + " is required");
        }
        return value;
    }

    static CropcastException config(String message) {
        return new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, message);
    }
}
