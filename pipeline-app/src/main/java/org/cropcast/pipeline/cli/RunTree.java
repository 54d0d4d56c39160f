package org.cropcast.pipeline.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cropcast.pipeline.runs.RunsReader.RunView;
import org.cropcast.tracking.RunTags;

/**
 * Runs as {@code runs list} prints them: each child run ({@code mlflow.parentRunId}) right under its
 * parent, one level deeper, in the listing's order; a child whose parent is not listed stays where
 * it is, at the top level.
 */
final class RunTree {
    /** A run and how deep it is nested (0: top level). */
    record Line(RunView view, int depth) {}

    private RunTree() {}

    static List<Line> flat(List<RunView> runs) {
        return runs.stream().map(v -> new Line(v, 0)).toList();
    }

    static List<Line> nested(List<RunView> runs) {
        Map<String, RunView> listed = new LinkedHashMap<>();
        runs.forEach(v -> listed.put(v.run().id().value(), v));
        Map<String, List<RunView>> children = new LinkedHashMap<>();
        List<RunView> roots = new ArrayList<>();
        for (RunView view : runs) {
            Optional<String> parent = parent(view).filter(listed::containsKey);
            if (parent.isPresent()) {
                children.computeIfAbsent(parent.get(), k -> new ArrayList<>()).add(view);
            } else {
                roots.add(view);
            }
        }
        List<Line> out = new ArrayList<>();
        Set<String> printed = new HashSet<>();
        for (RunView root : roots) {
            add(root, 0, children, printed, out);
        }
        // a cycle of parents (only a hand-edited tag makes one) has no root: list its runs plainly
        for (RunView view : runs) {
            if (!printed.contains(view.run().id().value())) {
                add(view, 0, children, printed, out);
            }
        }
        return out;
    }

    private static void add(RunView view, int depth, Map<String, List<RunView>> children, Set<String> printed, List<Line> out) {
        if (!printed.add(view.run().id().value())) {
            return;
        }
        out.add(new Line(view, depth));
        for (RunView child : children.getOrDefault(view.run().id().value(), List.of())) {
            add(child, depth + 1, children, printed, out);
        }
    }

    private static Optional<String> parent(RunView view) {
        return Optional.ofNullable(view.run().data().tags().get(RunTags.PARENT_RUN_ID));
    }
}
