package org.cropcast.pipeline.report;

import com.jerolba.carpet.CarpetWriter;
import com.jerolba.carpet.model.FieldTypes;
import com.jerolba.carpet.model.WriteRecordModelType;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A Parquet file with a schema chosen at run time (feature and reference columns vary), written
 * through Carpet's write-model API from one reusable {@link Row} cursor, so no object is kept per
 * row. Strings and integers are REQUIRED; doubles are OPTIONAL with NaN written as null, or
 * REQUIRED ({@link Schema#requiredReal}) for columns that always hold a value (cheaper to write).
 */
public final class ParquetTable implements Closeable {
    /** The cursor: set the slots, then {@link ParquetTable#write()}. */
    public static final class Row {
        public final String[] strings;
        public final int[] ints;
        public final double[] doubles;

        Row(int strings, int ints, int doubles) {
            this.strings = new String[strings];
            this.ints = new int[ints];
            this.doubles = new double[doubles];
        }
    }

    /** Declares columns in file order; each method returns the column's slot in its kind's array. */
    public static final class Schema {
        private final WriteRecordModelType<Row> model = FieldTypes.writeRecordModel(Row.class);
        private final List<String> names = new ArrayList<>();
        private final List<String> stringColumns = new ArrayList<>();
        private final List<String> intColumns = new ArrayList<>();
        private int strings;
        private int ints;
        private int doubles;

        public int string(String name) {
            int slot = strings++;
            names.add(name);
            stringColumns.add(name);
            model.withField(name, FieldTypes.STRING.notNull(), row -> row.strings[slot]);
            return slot;
        }

        public int integer(String name) {
            int slot = ints++;
            names.add(name);
            intColumns.add(name);
            model.withField(name, (Row row) -> row.ints[slot]);
            return slot;
        }

        public int real(String name) {
            int slot = doubles++;
            names.add(name);
            model.withField(name, FieldTypes.DOUBLE, row -> {
                double value = row.doubles[slot];
                return Double.isNaN(value) ? null : value;
            });
            return slot;
        }

        /** A double column that is never NaN in this file (no null handling, no boxing). */
        public int requiredReal(String name) {
            int slot = doubles++;
            names.add(name);
            model.withField(name, (Row row) -> row.doubles[slot]);
            return slot;
        }

        public List<String> columnNames() {
            return List.copyOf(names);
        }

        public ParquetTable open(OutputStream out) {
            try {
                // dictionaries only for the string columns: on doubles they cost much and rarely pay
                CarpetWriter.Builder<Row> builder = new CarpetWriter.Builder<>(out, Row.class)
                        .withWriteRecordModel(model)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withDictionaryEncoding(false)
                        .withStatisticsEnabled(false);
                for (String column : stringColumns) {
                    // region keys repeat: a dictionary pays
                    builder.withDictionaryEncoding(column, true);
                }
                for (String column : intColumns) {
                    // min/max of years let readers skip row groups
                    builder.withStatisticsEnabled(column, true);
                }
                CarpetWriter<Row> writer = builder.build();
                return new ParquetTable(writer, new Row(strings, ints, doubles));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final CarpetWriter<Row> writer;
    private final Row row;
    private long rows;

    private ParquetTable(CarpetWriter<Row> writer, Row row) {
        this.writer = writer;
        this.row = row;
    }

    public static Schema schema() {
        return new Schema();
    }

    public Row row() {
        return row;
    }

    public void write() {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long rowsWritten() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
