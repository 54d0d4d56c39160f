package org.cropcast.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.cropcast.pipeline.yaml.JacksonYamlDocumentWriter;
import org.cropcast.storage.s3.FaultInjectingProxy;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.storage.s3.S3Storage;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claiming {@code <base>/<UTC timestamp>} run directories: every invocation started in the same
 * second gets its own directory, locally (mkdir), in an object store (a claim marker created only
 * if absent) and on S3 (a conditional PutObject against S3Mock).
 */
class TestRunDirectories {
    private static final Instant NOW = Instant.parse("2026-11-26T11:45:07Z");
    private static final String STAMP = "20261126T114507Z";
    private static final int CLAIMERS = 8;

    @TempDir
    Path temp;

    @Test
    void concurrentLocalClaimsInTheSameSecondGetDistinctDirectories() throws Exception {
        Location base = Location.local(temp.resolve("runs/exp"));
        List<RunDirectories.Choice> choices = claimConcurrently(new LocalStorage(), base);
        assertThat(names(choices)).containsExactlyInAnyOrderElementsOf(expectedNames(CLAIMERS));
        for (RunDirectories.Choice choice : choices) {
            assertThat(choice.directory().localPath()).isEmptyDirectory();
            assertThat(choice.claim()).isEmpty();
        }
    }

    @Test
    void concurrentObjectStoreClaimsInTheSameSecondGetDistinctDirectories() throws Exception {
        MemoryStorage memory = new MemoryStorage();
        Location base = Location.of("memory://bucket/data/runs/exp");
        List<RunDirectories.Choice> choices = claimConcurrently(memory, base);
        assertThat(names(choices)).containsExactlyInAnyOrderElementsOf(expectedNames(CLAIMERS));
        for (RunDirectories.Choice choice : choices) {
            Location marker = choice.directory().resolve(RunDirectories.CLAIM_MARKER);
            assertThat(choice.claim()).contains(marker);
            assertThat(memory.list(choice.directory())).extracting(FileEntry::location).containsExactly(marker);
        }
    }

    @Test
    void s3ClaimsInTheSameSecondTakeTheNextSuffix() {
        S3MockServer server = S3MockServer.shared();
        String bucket = server.createBucket("run-claims");
        Location base = Location.of("s3://" + bucket + "/data/runs/exp");
        try (S3Storage s3 = server.storage()) {
            RunDirectories directories = directories(s3);
            List<String> names = IntStream.range(0, 3).mapToObj(i -> directories.claimNewDirectory(base).directory().fileName()).toList();
            assertThat(names).containsExactly(STAMP, STAMP + "-2", STAMP + "-3");
            assertThat(s3.list(base)).extracting(e -> e.location().key()).containsExactly(
                    "data/runs/exp/" + STAMP + "-2/" + RunDirectories.CLAIM_MARKER,
                    "data/runs/exp/" + STAMP + "-3/" + RunDirectories.CLAIM_MARKER,
                    "data/runs/exp/" + STAMP + "/" + RunDirectories.CLAIM_MARKER);
        }
    }

    @Test
    void s3EndpointWithoutConditionalWritesFallsBackToARandomSuffix() {
        S3MockServer server = S3MockServer.shared();
        String bucket = server.createBucket("run-claims-fallback");
        Location base = Location.of("s3://" + bucket + "/runs/exp");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.endpoint());
                S3Storage s3 = server.storage(server.config().withEndpoint(proxy.endpoint()))) {
            proxy.answerNext(1, 501, "NotImplemented");
            RunDirectories.Choice choice = directories(s3).claimNewDirectory(base);
            assertThat(choice.directory().fileName()).matches(STAMP + "-[0-9a-f]{6}");
            assertThat(choice.claim()).isEmpty();
            assertThat(choice.mode()).isEqualTo(RunMode.CREATE);
            assertThat(s3.list(base)).as("no marker was written").isEmpty();
        }
    }

    @Test
    void releaseRemovesAClaimThatStayedAloneAndKeepsOneWithFiles() {
        MemoryStorage memory = new MemoryStorage();
        Location base = Location.of("memory://bucket/runs/exp");
        RunDirectories directories = directories(memory);
        RunDirectories.Choice unused = directories.claimNewDirectory(base);
        RunDirectories.Choice used = directories.claimNewDirectory(base);
        Location output = used.directory().resolve("metadata_hindcast.yaml");
        memory.write(output, out -> out.write("run: r1\n".getBytes(StandardCharsets.UTF_8)));

        directories.release(unused);
        directories.release(used);

        assertThat(memory.list(unused.directory())).isEmpty();
        assertThat(memory.list(used.directory())).extracting(FileEntry::location)
                .containsExactly(used.claim().orElseThrow(), output);
    }

    @Test
    void releaseRemovesEmptyLocalDirectoriesItCreated() throws Exception {
        Path base = temp.resolve("fresh/runs/exp");
        RunDirectories.Choice choice = directories(new LocalStorage()).claimNewDirectory(Location.local(base));
        assertThat(choice.directory().localPath()).isDirectory();
        directories(new LocalStorage()).release(choice);
        assertThat(temp.resolve("fresh")).doesNotExist();
        assertThat(Files.list(temp)).isEmpty();
    }

    private static RunDirectories directories(Storage storage) {
        return new RunDirectories(storage, new JacksonYamlDocumentWriter(), Clock.fixed(NOW, ZoneOffset.UTC), new Random(3));
    }

    private static List<RunDirectories.Choice> claimConcurrently(Storage storage, Location base) throws Exception {
        RunDirectories directories = directories(storage);
        ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RunDirectories.Choice>> futures = new ArrayList<>();
            for (int i = 0; i < CLAIMERS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return directories.claimNewDirectory(base);
                }));
            }
            start.countDown();
            List<RunDirectories.Choice> choices = new ArrayList<>();
            for (Future<RunDirectories.Choice> future : futures) {
                choices.add(future.get(60, TimeUnit.SECONDS));
            }
            return choices;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> names(List<RunDirectories.Choice> choices) {
        return choices.stream().map(c -> c.directory().fileName()).toList();
    }

    private static List<String> expectedNames(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> i == 1 ? STAMP : STAMP + "-" + i).toList();
    }
}
