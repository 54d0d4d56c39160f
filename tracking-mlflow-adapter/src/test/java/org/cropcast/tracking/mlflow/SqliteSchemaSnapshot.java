package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A normalised description of an SQLite schema, for comparing the database cropcast creates
 * with the one Python MLflow creates: every object of sqlite_master, every table's columns
 * (name, type, not-null, default, primary-key position), foreign keys, indexes with their
 * columns, uniqueness and origin, and the table constraints (CHECK, named constraints) as a
 * sorted set, since alembic's batch migrations emit them in no fixed order.
 */
final class SqliteSchemaSnapshot {
    private SqliteSchemaSnapshot() {}

    static String describe(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement()) {
            TreeMap<String, String> objects = new TreeMap<>();
            List<String[]> master = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master")) {
                while (rows.next()) {
                    master.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)});
                }
            }
            for (String[] object : master) {
                StringBuilder out = new StringBuilder();
                out.append(object[0]).append(' ').append(object[1]).append(" on ").append(object[2]).append('\n');
                switch (object[0]) {
                    case "table" -> {
                        out.append("  columns ").append(pragma(s, "table_xinfo", object[1])).append('\n');
                        out.append("  foreign keys ").append(sorted(pragma(s, "foreign_key_list", object[1]), 2)).append('\n');
                        out.append("  indexes ").append(sorted(pragma(s, "index_list", object[1]), 1)).append('\n');
                        out.append("  constraints ").append(constraints(object[3])).append('\n');
                    }
                    case "index" -> {
                        out.append("  columns ").append(pragma(s, "index_xinfo", object[1])).append('\n');
                        out.append("  sql ").append(object[3] == null ? "(automatic)" : squash(object[3])).append('\n');
                    }
                    default -> out.append("  sql ").append(squash(String.valueOf(object[3]))).append('\n');
                }
                objects.put(object[0] + " " + object[1], out.toString());
            }
            return String.join("", objects.values());
        }
    }

    static String alembicHead(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT group_concat(version_num) FROM alembic_version")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static List<String> pragma(Statement s, String pragma, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery("PRAGMA " + pragma + "(\"" + name.replace("\"", "\"\"") + "\")")) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                StringBuilder row = new StringBuilder("(");
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (pragma.equals("foreign_key_list") && meta.getColumnName(i).equals("id")) {
                        continue; // ids number the constraints in creation order
                    }
                    if (pragma.equals("index_list") && meta.getColumnName(i).equals("seq")) {
                        continue;
                    }
                    row.append(meta.getColumnName(i)).append('=').append(rows.getString(i)).append(' ');
                }
                out.add(row.toString().strip() + ")");
            }
        }
        return out;
    }

    private static List<String> sorted(List<String> rows, int unused) {
        List<String> out = new ArrayList<>(rows);
        out.sort(null);
        return out;
    }

    /** The table-level clauses of a CREATE TABLE (CONSTRAINT, CHECK, PRIMARY KEY, FOREIGN KEY, UNIQUE), sorted. */
    static List<String> constraints(String createTable) {
        if (createTable == null) {
            return List.of();
        }
        int open = createTable.indexOf('(');
        int close = createTable.lastIndexOf(')');
        String body = createTable.substring(open + 1, close);
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : body.toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
            if (ch == ',' && depth == 0) {
                parts.add(squash(current.toString()));
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        parts.add(squash(current.toString()));
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            String upper = part.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("CONSTRAINT") || upper.startsWith("CHECK") || upper.startsWith("PRIMARY KEY")
                    || upper.startsWith("FOREIGN KEY") || upper.startsWith("UNIQUE")) {
                out.add(part);
            }
        }
        out.sort(null);
        return out;
    }

    private static String squash(String sql) {
        return sql.replaceAll("\\s+", " ").strip();
    }
}
