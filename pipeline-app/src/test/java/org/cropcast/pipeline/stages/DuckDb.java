package org.cropcast.pipeline.stages;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** DuckDB (an independent Parquet reader) as the oracle for the stages' Parquet outputs. */
final class DuckDb {
    private DuckDb() {}

    /** Runs a query where {@code ?file} is replaced by {@code read_parquet('<file>')}; rows as column maps. */
    static List<Map<String, Object>> query(Path file, String sql) {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        String resolved = sql.replace("?file", "read_parquet('" + file.toString().replace("'", "''") + "')");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(resolved)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("DuckDB query failed: " + resolved + ": " + e.getMessage(), e);
        }
    }

    static Object single(Path file, String sql) {
        List<Map<String, Object>> rows = query(file, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    /** Column name to DuckDB type. */
    static Map<String, String> schema(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> row : query(file, "DESCRIBE SELECT * FROM ?file")) {
            out.put((String) row.get("column_name"), (String) row.get("column_type"));
        }
        return out;
    }
}
