package org.cropcast.pipeline.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The little Markdown a run's description (MLflow's {@code mlflow.note.content}, rendered by the
 * MLflow UI) is written in: escaped text and GitHub-flavoured pipe tables. Writing only; nothing
 * here parses Markdown.
 */
public final class Markdown {
    private Markdown() {}

    /** How a column's cells are aligned. */
    public enum Align { LEFT, RIGHT }

    /** {@code text} with Markdown's inline syntax characters escaped, on one line. */
    public static String text(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.replace('\n', ' ').replace('\r', ' ').toCharArray()) {
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A pipe table: the header, the alignment row, one line per row (cells escaped). */
    public static List<String> table(List<String> header, List<Align> align, List<List<String>> rows) {
        if (header.size() != align.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " alignments, got " + align.size());
        }
        List<String> lines = new ArrayList<>();
        lines.add(row(header));
        lines.add(String.join("", align.stream().map(a -> a == Align.RIGHT ? "|---:" : "|---").toList()) + "|");
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("expected " + header.size() + " cells, got " + row.size());
            }
            lines.add(row(row));
        }
        return lines;
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(Markdown::text).toList()) + " |";
    }
}
