package org.cropcast.pipeline.data;

import static org.cropcast.pipeline.data.PanelLoader.config;
import static org.cropcast.pipeline.data.PanelLoader.require;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.cropcast.pipeline.config.PipelineConfig.ReferenceSpec;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/** Reads reference specs (long with an issue column, or wide with one column per issue). */
public final class ReferenceLoader {
    private ReferenceLoader() {}

    /**
     * Reads one spec and aligns it to the panel. Regions and years outside the panel are ignored; a
     * reference that has no value for any of {@code selectedRegions} is an error.
     */
    public static ReferenceTable load(ReferenceSpec spec, Panel panel, BitSet selectedRegions, PanelLoader.Inputs inputs) {
        String name = require(spec.name(), "reference_data[].name");
        String section = "reference_data[" + name + "]";
        String file = require(spec.path(), section + ".path");
        String regionColumn = require(spec.regionColumn(), section + ".region_column");
        String yearColumn = require(spec.yearColumn(), section + ".year_column");
        Cells.YearFormat yearFormat = Cells.YearFormat.parse(spec.yearFormat(), section + ".year_format");
        String layout = Optional.ofNullable(spec.layout()).orElse("long").toLowerCase(Locale.ROOT);
        java.util.Map<String, Integer> regionIndex = new java.util.HashMap<>();
        for (int r = 0; r < panel.regionCount(); r++) {
            regionIndex.put(panel.regions().get(r), r);
        }
        List<String> columns = new ArrayList<>(List.of(regionColumn, yearColumn));
        boolean wide;
        List<String> valueColumns;
        switch (layout) {
            case "wide" -> {
                wide = true;
                if (spec.valueColumns() == null || spec.valueColumns().isEmpty()) {
                    throw config(section + ".value_columns: list the estimate columns in issue order");
                }
                valueColumns = spec.valueColumns();
                columns.addAll(valueColumns);
            }
            case "long" -> {
                wide = false;
                valueColumns = List.of(require(spec.valueColumn(), section + ".value_column"));
                columns.add(require(spec.issueColumn(), section + ".issue_column"));
                columns.add(valueColumns.get(0));
            }
            default -> throw config(section + ".layout: unknown layout '" + spec.layout() + "' (expected long or wide)");
        }
        int filterIndex = PanelLoader.filter(spec.filterColumn(), spec.filterValue(), section).map(c -> {
            columns.add(c);
            return columns.size() - 1;
        }).orElse(-1);
        int cells = panel.regionCount() * panel.years();
        // long layout: issues are discovered while reading; keep a map issue label -> values
        TreeMap<IssueKey, double[]> byIssue = new TreeMap<>();
        List<double[]> wideValues = new ArrayList<>();
        if (wide) {
            for (int i = 0; i < valueColumns.size(); i++) {
                wideValues.add(PanelLoader.filled(cells));
            }
        }
        BitSet[] seen = new BitSet[1];
        seen[0] = new BitSet();
        TreeMap<IssueKey, BitSet> seenByIssue = new TreeMap<>();
        TableReader.scan(inputs.local(file), file, columns, (row, values) -> {
            if (filterIndex >= 0 && !values[filterIndex].trim().equals(spec.filterValue())) {
                return;
            }
            Integer r = regionIndex.get(values[0].trim());
            if (r == null) {
                return;
            }
            int year = Cells.year(values[1], yearFormat, file, yearColumn, row);
            if (!panel.containsYear(year)) {
                return;
            }
            int cell = panel.cell(r, year);
            if (wide) {
                if (seen[0].get(cell)) {
                    throw duplicate(file, row, panel.regions().get(r), year, "");
                }
                seen[0].set(cell);
                for (int i = 0; i < valueColumns.size(); i++) {
                    wideValues.get(i)[cell] = Cells.number(values[2 + i], file, valueColumns.get(i), row);
                }
            } else {
                String issueText = values[2].trim();
                if (Cells.isMissing(issueText)) {
                    throw new CropcastException(PipelineErrorCode.NON_NUMERIC_VALUE,
                            file + ": column '" + columns.get(2) + "', row " + row + ": the issue is empty");
                }
                IssueKey issue = IssueKey.of(issueText);
                BitSet issueSeen = seenByIssue.computeIfAbsent(issue, k -> new BitSet());
                if (issueSeen.get(cell)) {
                    throw duplicate(file, row, panel.regions().get(r), year, ", " + columns.get(2) + " " + issueText);
                }
                issueSeen.set(cell);
                byIssue.computeIfAbsent(issue, k -> PanelLoader.filled(cells))[cell] =
                        Cells.number(values[3], file, valueColumns.get(0), row);
            }
        });
        List<String> issues = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        if (wide) {
            issues.addAll(valueColumns);
            values.addAll(wideValues);
        } else {
            byIssue.forEach((issue, v) -> {
                issues.add(issue.label());
                values.add(v);
            });
        }
        boolean matched = false;
        for (double[] v : values) {
            for (int r = selectedRegions.nextSetBit(0); r >= 0 && !matched; r = selectedRegions.nextSetBit(r + 1)) {
                for (int y = 0; y < panel.years(); y++) {
                    if (!Double.isNaN(v[r * panel.years() + y])) {
                        matched = true;
                        break;
                    }
                }
            }
        }
        if (!matched) {
            throw new CropcastException(PipelineErrorCode.REFERENCE_MATCHES_NO_REGION, file + ": reference '" + name
                    + "' has no value for any selected region in column '" + regionColumn + "' (selected: "
                    + describe(panel, selectedRegions) + ")");
        }
        return new ReferenceTable(name, file, issues, values.toArray(double[][]::new));
    }

    /**
     * The profile of a spec's file, as a dataset's profile: {@code num_rows} (after the filter),
     * {@code regions}, {@code years} and {@code first_year} (of those rows, all regions, not only the
     * panel's), {@code issues} (long: the distinct issue values; wide: the value columns). Reads only
     * the region, year, issue and filter columns.
     */
    public static java.util.Map<String, Object> profile(ReferenceSpec spec, PanelLoader.Inputs inputs) {
        String name = require(spec.name(), "reference_data[].name");
        String section = "reference_data[" + name + "]";
        String file = require(spec.path(), section + ".path");
        String yearColumn = require(spec.yearColumn(), section + ".year_column");
        Cells.YearFormat yearFormat = Cells.YearFormat.parse(spec.yearFormat(), section + ".year_format");
        boolean wide = "wide".equalsIgnoreCase(spec.layout());
        List<String> columns = new ArrayList<>(List.of(require(spec.regionColumn(), section + ".region_column"), yearColumn));
        if (!wide) {
            columns.add(require(spec.issueColumn(), section + ".issue_column"));
        }
        int filterIndex = PanelLoader.filter(spec.filterColumn(), spec.filterValue(), section).map(c -> {
            columns.add(c);
            return columns.size() - 1;
        }).orElse(-1);
        java.util.Set<String> regions = new java.util.HashSet<>();
        java.util.TreeSet<Integer> years = new java.util.TreeSet<>();
        java.util.Set<String> issues = new java.util.HashSet<>();
        long[] rows = {0};
        TableReader.scan(inputs.local(file), file, columns, (row, values) -> {
            if (filterIndex >= 0 && !values[filterIndex].trim().equals(spec.filterValue())) {
                return;
            }
            rows[0]++;
            regions.add(values[0].trim());
            years.add(Cells.year(values[1], yearFormat, file, yearColumn, row));
            if (!wide) {
                issues.add(values[2].trim());
            }
        });
        java.util.Map<String, Object> profile = new java.util.LinkedHashMap<>();
        profile.put("num_rows", rows[0]);
        profile.put("regions", regions.size());
        profile.put("years", years.size());
        if (!years.isEmpty()) {
            profile.put("first_year", years.first());
        }
        profile.put("issues", wide ? Optional.ofNullable(spec.valueColumns()).map(List::size).orElse(0) : issues.size());
        return profile;
    }

    private static String describe(Panel panel, BitSet selected) {
        List<String> names = new ArrayList<>();
        for (int r = selected.nextSetBit(0); r >= 0 && names.size() < 5; r = selected.nextSetBit(r + 1)) {
            names.add(panel.regions().get(r));
        }
        return String.join(", ", names) + (selected.cardinality() > 5 ? ", ..." : "");
    }

    private static CropcastException duplicate(String file, long row, String region, int year, String issue) {
        return new CropcastException(PipelineErrorCode.DUPLICATE_ROW,
                file + ": row " + row + " repeats region '" + region + "', year " + year + issue);
    }

    /** Issue labels ordered numerically when they are numbers, else alphabetically. */
    private record IssueKey(String label, double number) implements Comparable<IssueKey> {
        static IssueKey of(String text) {
            double n;
            try {
                n = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                n = Double.NaN;
            }
            String label = !Double.isNaN(n) && n == Math.rint(n) ? Long.toString((long) n) : text;
            return new IssueKey(label, n);
        }

        @Override
        public int compareTo(IssueKey other) {
            if (!Double.isNaN(number) && !Double.isNaN(other.number)) {
                return Double.compare(number, other.number);
            }
            if (Double.isNaN(number) != Double.isNaN(other.number)) {
                return Double.isNaN(number) ? 1 : -1;
            }
            return label.compareTo(other.label);
        }
    }
}
