import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.cropcast.storage.s3.FaultInjectingProxy;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.storage.s3.S3Storage;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.StagedPath;
import org.cropcast.tracking.StorageArtifactStore;

/**
 * Logging a dataset that lives on S3 into an S3 artifact root: server-side copy (what cropcast
 * does) against download-then-upload through a local staging directory (what the original Python
 * pipeline does, and what cropcast does for non-S3 roots). Both run in the same JVM against the
 * same S3Mock on loopback, with every byte between the SDK and the server counted by a proxy.
 *
 * Arguments: [total MiB, default 1024] [files, default 8] [repetitions, default 3]. Run through run.sh.
 */
public class S3CopyBench {
    private static final long MIB = 1024 * 1024;

    record Sample(String method, double seconds, long clientBytes, int requests, long localDiskBytes) {}

    public static void main(String[] args) throws Exception {
        long totalMib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long fileBytes = totalMib * MIB / files;

        S3MockServer server = S3MockServer.start();
        FaultInjectingProxy proxy = FaultInjectingProxy.start(server.endpoint());
        try (S3Storage storage = server.storage(server.config().withEndpoint(proxy.endpoint()))) {
            String bucket = server.createBucket("bench");
            Location dataset = Location.of("s3://" + bucket + "/data/features");
            System.err.printf(Locale.ROOT, "writing the dataset: %d files of %d MiB%n", files, fileBytes / MIB);
            writeDataset(storage, dataset, files, fileBytes);
            ArtifactStore artifacts = new StorageArtifactStore(storage);
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < repetitions; i++) {
                // alternate the order so neither method always runs on a warmer cache
                boolean directFirst = i % 2 == 0;
                for (int j = 0; j < 2; j++) {
                    boolean direct = (j == 0) == directFirst;
                    String root = "s3://" + bucket + "/mlruns/1/run" + i + (direct ? "d" : "s") + "/artifacts";
                    Sample sample = direct ? serverSide(artifacts, proxy, dataset, root) : staged(storage, artifacts, proxy, dataset, root);
                    samples.add(sample);
                    System.err.printf(Locale.ROOT, "  %-22s %8.2f s %,15d client bytes %5d requests%n",
                            sample.method(), sample.seconds(), sample.clientBytes(), sample.requests());
                    server.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("mlruns/")).contents()
                            .forEach(o -> server.client().deleteObject(b -> b.bucket(bucket).key(o.key())));
                }
            }
            report(samples, totalMib, files, repetitions);
        } finally {
            proxy.close();
            server.stop();
        }
    }

    private static void writeDataset(S3Storage storage, Location dataset, int files, long fileBytes) throws IOException {
        byte[] chunk = new byte[(int) MIB];
        Random random = new Random(42);
        for (int f = 0; f < files; f++) {
            storage.write(dataset.resolve(String.format("part-%05d.parquet", f)), out -> {
                for (long written = 0; written < fileBytes; written += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, fileBytes - written));
                }
            });
        }
    }

    private static Sample serverSide(ArtifactStore artifacts, FaultInjectingProxy proxy, Location dataset, String root) {
        if (!artifacts.canCopyDirectly(dataset, root)) {
            throw new IllegalStateException("expected a direct copy");
        }
        proxy.resetCounters();
        long start = System.nanoTime();
        artifacts.copyDirectly(dataset, root, "inputs");
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Sample("server-side copy", seconds, proxy.bytesTransferred(), proxy.requests(), 0);
    }

    private static Sample staged(S3Storage storage, ArtifactStore artifacts, FaultInjectingProxy proxy, Location dataset, String root)
            throws IOException {
        proxy.resetCounters();
        long start = System.nanoTime();
        long localBytes;
        try (StagedPath staged = storage.stage(dataset)) {
            try (var walk = java.nio.file.Files.walk(staged.path())) {
                localBytes = walk.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            artifacts.logFile(root, staged.path(), "inputs");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Sample("download then upload", seconds, proxy.bytesTransferred(), proxy.requests(), localBytes);
    }

    private static void report(List<Sample> samples, long totalMib, int files, int repetitions) {
        System.out.printf(Locale.ROOT, "Dataset: %d MiB in %d objects; %d repetitions of each method, alternating; "
                + "S3Mock 5.2.0 in process on loopback (%s, %d cores).%n%n",
                totalMib, files, repetitions, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| method | median time (s) | min-max (s) | bytes through the client | requests | local disk written | time ratio to server-side |");
        System.out.println("|---|---|---|---|---|---|---|");
        double directMedian = median(samples, "server-side copy");
        for (String method : List.of("server-side copy", "download then upload")) {
            List<Sample> of = samples.stream().filter(s -> s.method().equals(method)).toList();
            List<Double> times = new ArrayList<>(of.stream().map(Sample::seconds).toList());
            Collections.sort(times);
            Sample last = of.get(of.size() - 1);
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f-%.2f | %s | %d | %s | %.2f |%n", method, median(samples, method),
                    times.get(0), times.get(times.size() - 1), human(last.clientBytes()), last.requests(),
                    human(last.localDiskBytes()), median(samples, method) / directMedian);
        }
    }

    private static double median(List<Sample> samples, String method) {
        List<Double> times = new ArrayList<>(samples.stream().filter(s -> s.method().equals(method)).map(Sample::seconds).toList());
        Collections.sort(times);
        int n = times.size();
        return n % 2 == 1 ? times.get(n / 2) : (times.get(n / 2 - 1) + times.get(n / 2)) / 2;
    }

    private static String human(long bytes) {
        if (bytes >= MIB) {
            return String.format(Locale.ROOT, "%,.1f MiB", bytes / (double) MIB);
        }
        return String.format(Locale.ROOT, "%,d B", bytes);
    }
}
