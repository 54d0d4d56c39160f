package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.cropcast.pipeline.runs.RunsReader;
import org.cropcast.pipeline.runs.RunsReader.RunView;
import org.cropcast.tracking.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast runs compare RUN_ID RUN_ID...}: runs side by side, differences marked. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Put runs side by side, marking what differs.",
            "Info, params, latest metrics and tags, one column per run; rows",
            "whose values differ are marked with '*' in the first column."})
public final class RunsCompareCommand implements Callable<Integer> {
    static final String DIFFERS = "*";

    @Spec
    CommandSpec spec;

    @Mixin
    TrackingOptions tracking;

    @Parameters(paramLabel = "RUN_ID", arity = "2..*", description = "Two or more run ids.")
    List<String> runIds;

    @Option(names = "--diff-only", description = "Show only the rows that differ.")
    boolean diffOnly;

    @Option(names = "--no-tags", description = "Leave out the tags section.")
    boolean noTags;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    private final RunsReader reader;
    private final Clock clock;

    @Inject
    RunsCompareCommand(RunsReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    /** One compared row: a key and each run's value (empty when the run lacks it). */
    record Row(String section, String key, List<String> values) {
        boolean differs() {
            return values.stream().distinct().count() > 1;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunsReader.Session session = reader.open(tracking.trackingUri(), tracking.config())) {
            List<RunView> views = new ArrayList<>();
            for (String id : runIds) {
                views.add(session.get(id));
            }
            List<Row> rows = rows(views);
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("runs", views.stream().map(v -> v.run().id().value()).toList());
                document.put("rows", rows.stream().filter(r -> !diffOnly || r.differs()).map(r -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("section", r.section());
                    row.put("key", r.key());
                    row.put("values", r.values());
                    row.put("differs", r.differs());
                    return row;
                }).toList());
                out.println(RunFormats.toJson(document));
                out.flush();
                return ExitCodes.OK;
            }
            List<String> header = new ArrayList<>(List.of("", "KEY"));
            views.forEach(v -> header.add(shortId(v.run().id().value(), views)));
            String section = "";
            TextTable table = null;
            for (Row row : rows) {
                if (diffOnly && !row.differs()) {
                    continue;
                }
                if (!row.section().equals(section)) {
                    if (table != null) {
                        table.print(out, "  ");
                        out.println();
                    }
                    section = row.section();
                    out.println(section);
                    table = new TextTable(header);
                }
                List<String> cells = new ArrayList<>();
                cells.add(row.differs() ? DIFFERS : "");
                cells.add(row.key());
                cells.addAll(row.values());
                table.row(cells);
            }
            if (table != null) {
                table.print(out, "  ");
            } else {
                out.println("The runs do not differ.");
            }
            long differing = rows.stream().filter(Row::differs).count();
            out.println();
            out.println(differing + " of " + rows.size() + " rows differ (marked " + DIFFERS + ").");
            out.flush();
            return ExitCodes.OK;
        }
    }

    private List<Row> rows(List<RunView> views) {
        List<Row> rows = new ArrayList<>();
        rows.add(row("Run", "run id", views, v -> v.run().id().value()));
        rows.add(row("Run", "name", views, v -> v.run().info().runName()));
        rows.add(row("Run", "experiment", views, RunView::experimentName));
        rows.add(row("Run", "stage", views, v -> RunFormats.stage(v.run())));
        rows.add(row("Run", "status", views, RunFormats::status));
        rows.add(row("Run", "start", views, v -> RunFormats.time(v.run().info().startTimeMillis(), clock)));
        rows.add(row("Run", "duration", views, v -> RunFormats.duration(v.run().info(), clock)));
        for (String key : union(views, v -> v.run().data().params())) {
            rows.add(row("Params", key, views, v -> v.run().data().params().get(key)));
        }
        for (String key : union(views, v -> v.run().data().latestMetrics())) {
            rows.add(row("Metrics (latest)", key, views, v -> {
                Metric m = v.run().data().latestMetrics().get(key);
                return m == null ? null : RunFormats.number(m.value());
            }));
        }
        if (!noTags) {
            for (String key : union(views, v -> v.run().data().tags())) {
                rows.add(row("Tags", key, views, v -> v.run().data().tags().get(key)));
            }
        }
        return rows;
    }

    private static Row row(String section, String key, List<RunView> views, Function<RunView, String> value) {
        return new Row(section, key, views.stream().map(value).map(v -> Objects.toString(v, "")).toList());
    }

    private static TreeSet<String> union(List<RunView> views, Function<RunView, Map<String, ?>> map) {
        TreeSet<String> keys = new TreeSet<>();
        views.forEach(v -> keys.addAll(map.apply(v).keySet()));
        return keys;
    }

    /** The shortest prefix (at least 8 characters) that tells the runs apart. */
    private static String shortId(String id, List<RunView> views) {
        for (int n = Math.min(8, id.length()); n < id.length(); n++) {
            String prefix = id.substring(0, n);
            long same = views.stream().map(v -> v.run().id().value()).distinct().filter(other -> other.startsWith(prefix)).count();
            if (same <= 1) {
                return prefix;
            }
        }
        return id;
    }
}
