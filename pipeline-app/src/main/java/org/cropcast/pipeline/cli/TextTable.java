package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.tracking.TerminalText;

/** A plain aligned text table: a header row, rows, columns padded to their widest cell, two spaces apart. */
final class TextTable {
    static final int MAX_CELL = 80;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    TextTable row(String... cells) {
        return row(List.of(cells));
    }

    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.size());
        }
        rows.add(cells.stream().map(TextTable::cell).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, String indent) {
        print(out, indent, true);
    }

    /** For key-value blocks: the rows only. */
    void printWithoutHeader(PrintWriter out, String indent) {
        print(out, indent, false);
    }

    private void print(PrintWriter out, String indent, boolean withHeader) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = withHeader ? header.get(i).length() : 0;
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        if (withHeader) {
            printRow(out, indent, header, widths);
        }
        for (List<String> row : rows) {
            printRow(out, indent, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /** One line, at most {@link #MAX_CELL} characters, every control, bidi or line-break character shown escaped ({@link TerminalText}). */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String oneLine = TerminalText.visible(value);
        return oneLine.length() <= MAX_CELL ? oneLine : oneLine.substring(0, MAX_CELL - 3) + "...";
    }
}
