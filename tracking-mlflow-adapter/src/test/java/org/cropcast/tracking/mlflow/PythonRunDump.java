package org.cropcast.tracking.mlflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.RunId;

/**
 * What the pinned Python MLflow client sees of one run, one fact per line, with what a copy may
 * differ in left out: the run's and experiment's ids, the artifact URI, cropcast's sync tags and
 * the create-request id the REST adapter tags every run it creates with;
 * the parent is shown by its run name, the experiment by its name. Two dumps being equal means the
 * Python client cannot tell the copy from the original: info, params, tags, every metric row
 * (NaN and infinities as Python sees them), every artifact file with its size and SHA-256.
 */
final class PythonRunDump {
    private static final String SCRIPT = """
            import hashlib, os, sys, tempfile
            from mlflow import MlflowClient
            client = MlflowClient(tracking_uri=sys.argv[1])
            run = client.get_run(sys.argv[2])
            i = run.info
            print("experiment", client.get_experiment(i.experiment_id).name)
            print("info", i.run_name, i.user_id, i.status, i.start_time, i.end_time, i.lifecycle_stage)
            for k in sorted(run.data.params): print("param", k, run.data.params[k])
            for k in sorted(run.data.tags):
                if k.startswith("cropcast.sync.") or k == sys.argv[3]: continue
                if k == "mlflow.parentRunId":
                    print("parent", client.get_run(run.data.tags[k]).info.run_name)
                else:
                    print("tag", k, run.data.tags[k])
            for k in sorted(run.data.metrics): print("latest", k, repr(run.data.metrics[k]))
            for k in sorted(run.data.metrics):
                rows = [(m.step, m.timestamp, repr(m.value)) for m in client.get_metric_history(i.run_id, k)]
                for step, ts, v in sorted(rows): print("history", k, step, ts, v)
            def walk(path):
                for f in client.list_artifacts(i.run_id, path):
                    if f.is_dir:
                        walk(f.path)
                    else:
                        print("artifact", f.path, f.file_size)
            walk(None)
            out = tempfile.mkdtemp()
            local = client.download_artifacts(i.run_id, "", out)
            digests = []
            for root, _, files in os.walk(local):
                for name in files:
                    p = os.path.join(root, name)
                    digests.append((os.path.relpath(p, local).replace(os.sep, "/"), hashlib.sha256(open(p, "rb").read()).hexdigest()))
            for path, digest in sorted(digests): print("bytes", path, digest)
            """;

    private PythonRunDump() {}

    /** The facts of one run, in order. */
    static List<String> of(String trackingUri, RunId run, Map<String, String> environment) throws Exception {
        MlflowPython.Result result = MlflowPython.runScript(SCRIPT, List.of(trackingUri, run.value(), MlflowRestRunStore.CREATE_REQUEST_TAG), environment, Duration.ofMinutes(3))
                .requireSuccess();
        return new ArrayList<>(result.stdout().lines().toList());
    }
}
