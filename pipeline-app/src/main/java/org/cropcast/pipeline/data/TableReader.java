package org.cropcast.pipeline.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.jerolba.carpet.CarpetReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.Type;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * Streams the rows of a CSV (header line, comma-separated, read with Jackson CSV; {@code .csv.gz}
 * decompressed on the fly with the JDK's gzip) or Parquet file (read with Carpet) by file extension, handing the visitor only the requested columns as text.
 * Rows are numbered from 1 (the first data row; for CSV that is line 2). Nothing is retained per
 * row, so panels of millions of rows stream in constant memory.
 */
public final class TableReader {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    /** Receives one row: the cells of the requested columns, in the requested order. */
    @FunctionalInterface
    public interface RowVisitor {
        void accept(long row, String[] cells);
    }

    private TableReader() {}

    /**
     * Reads {@code file} (shown in messages as {@code displayName}), checking first that every
     * requested column exists.
     */
    public static void scan(Path file, String displayName, List<String> columns, RowVisitor visitor) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            scanCsv(file, false, displayName, columns, visitor);
        } else if (name.endsWith(".csv.gz") || name.endsWith(".txt.gz")) {
            scanCsv(file, true, displayName, columns, visitor);
        } else if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            scanParquet(file, displayName, columns, visitor);
        } else {
            throw new CropcastException(PipelineErrorCode.UNSUPPORTED_FORMAT, displayName + ": unsupported format '"
                    + extension(name) + "' (supported: " + SUPPORTED + ")");
        }
    }

    /**
     * Checks that {@code file} has every one of {@code columns}, reading only its header (CSV) or
     * schema (Parquet): a missing column is {@code MISSING_COLUMN}, as {@link #scan} says it.
     */
    public static void requireColumns(Path file, String displayName, List<String> columns) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            indexes(displayName, parquetHeader(file, displayName), columns);
            return;
        }
        if (!name.endsWith(".csv") && !name.endsWith(".txt") && !name.endsWith(".csv.gz") && !name.endsWith(".txt.gz")) {
            scan(file, displayName, columns, (row, cells) -> {}); // the unsupported-format message
        }
        try (Reader reader = open(file, name.endsWith(".gz"));
                MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
            indexes(displayName, csvHeader(rows, displayName), columns);
        } catch (IOException | RuntimeException e) {
            throw translate(displayName, e);
        }
    }

    private static List<String> csvHeader(MappingIterator<String[]> rows, String displayName) {
        if (!rows.hasNext()) {
            throw new CropcastException(PipelineErrorCode.UNREADABLE_INPUT, displayName + ": the file is empty");
        }
        String[] header = rows.next();
        if (header.length > 0 && header[0].startsWith("\uFEFF")) {
            header[0] = header[0].substring(1);
        }
        return List.of(header);
    }

    private static List<String> parquetHeader(Path file, String displayName) {
        List<String> header = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            for (Type field : reader.getFileMetaData().getSchema().getFields()) {
                header.add(field.getName());
            }
        } catch (IOException | RuntimeException e) {
            throw translate(displayName, e);
        }
        return header;
    }

    /** The formats {@link #scan} reads, by file name ending. */
    public static final String SUPPORTED = ".csv, .csv.gz, .txt, .txt.gz, .parquet, .pq";

    private static String extension(String name) {
        int dot = name.indexOf('.', Math.max(0, name.lastIndexOf('/') + 1));
        return dot < 0 ? "(no extension)" : name.substring(dot);
    }

    private static Reader open(Path file, boolean gzip) throws IOException {
        if (!gzip) {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        InputStream in = Files.newInputStream(file);
        try {
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8));
        } catch (IOException e) {
            in.close();
            throw new IOException("not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    private static void scanCsv(Path file, boolean gzip, String displayName, List<String> columns, RowVisitor visitor) {
        try (Reader reader = open(file, gzip);
                MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
            int[] index = indexes(displayName, csvHeader(rows, displayName), columns);
            String[] cells = new String[columns.size()];
            long row = 0;
            while (rows.hasNext()) {
                String[] values = rows.next();
                row++;
                for (int i = 0; i < index.length; i++) {
                    cells[i] = index[i] < values.length ? values[index[i]] : "";
                }
                visitor.accept(row, cells);
            }
        } catch (IOException | RuntimeException e) {
            throw translate(displayName, e);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void scanParquet(Path file, String displayName, List<String> columns, RowVisitor visitor) {
        indexes(displayName, parquetHeader(file, displayName), columns);
        String[] cells = new String[columns.size()];
        try {
            CarpetReader<Map> reader = new CarpetReader<>(file.toFile(), Map.class);
            long row = 0;
            for (Map values : reader) {
                row++;
                for (int i = 0; i < cells.length; i++) {
                    Object value = values.get(columns.get(i));
                    cells[i] = value == null ? "" : value.toString();
                }
                visitor.accept(row, cells);
            }
        } catch (RuntimeException e) {
            throw translate(displayName, e);
        }
    }

    private static int[] indexes(String displayName, List<String> header, List<String> columns) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            positions.putIfAbsent(header.get(i).trim(), i);
        }
        int[] index = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Integer position = positions.get(columns.get(i));
            if (position == null) {
                throw new CropcastException(PipelineErrorCode.MISSING_COLUMN, displayName + ": column '"
                        + columns.get(i) + "' not found (columns: " + String.join(", ", header) + ")");
            }
            index[i] = position;
        }
        return index;
    }

    private static CropcastException translate(String displayName, Exception e) {
        if (e instanceof CropcastException ce) {
            return ce;
        }
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new CropcastException(PipelineErrorCode.UNREADABLE_INPUT,
                displayName + ": cannot read the file: " + message, e);
    }
}
