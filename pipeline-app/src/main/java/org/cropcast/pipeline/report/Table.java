package org.cropcast.pipeline.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.jerolba.carpet.CarpetReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small table read back from a run's output (a Parquet file or a CSV with a header), as rows of
 * column name to value, in file order. For the report, which reads files of a few thousand rows.
 */
public record Table(List<String> columns, List<Map<String, Object>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** Reads a Parquet file (copied to a local temporary file first: Parquet needs random access). */
    public static Table parquet(InputStream in) {
        Path file = null;
        try {
            file = Files.createTempFile("cropcast-report-", ".parquet");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            @SuppressWarnings({"unchecked", "rawtypes"})
            CarpetReader<Map<String, Object>> reader = new CarpetReader<>(file.toFile(), (Class) Map.class);
            return of(reader.iterator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans its temp directory
                }
            }
        }
    }

    /** Reads a CSV file with a header row; every value is a string (empty for an empty cell). */
    public static Table csv(InputStream in) {
        try {
            CsvMapper mapper = new CsvMapper();
            CsvSchema schema = CsvSchema.emptySchema().withHeader();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema).readValues(in)) {
                return of(it);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of an iterator; the columns are the first row's keys, in order. */
    private static Table of(java.util.Iterator<? extends Map<String, ?>> it) {
        List<String> columns = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (it.hasNext()) {
            Map<String, ?> row = it.next();
            if (columns.isEmpty()) {
                columns.addAll(row.keySet());
            }
            rows.add(new LinkedHashMap<>(row));
        }
        return new Table(columns, rows);
    }

    /** Concatenates tables of the same kind (the forecast files of several init dates); columns in first-seen order. */
    public static Table concat(List<Table> tables) {
        List<String> columns = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Table table : tables) {
            for (String column : table.columns()) {
                if (!columns.contains(column)) {
                    columns.add(column);
                }
            }
            rows.addAll(table.rows());
        }
        return new Table(columns, rows);
    }

    public boolean has(String column) {
        return columns.contains(requireNonNull(column, "column is null"));
    }

    /** A cell as a double: NaN when absent, null or not a number. */
    public static double number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A cell as text: empty when absent or null. */
    public static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}
