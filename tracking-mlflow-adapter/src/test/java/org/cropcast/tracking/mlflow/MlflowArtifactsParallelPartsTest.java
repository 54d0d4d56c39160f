package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many multipart parts go up at once, and how a part's body is read from the file (the uploads
 * themselves: MlflowRestS3ArtifactsTest, against a real server and S3).
 */
class MlflowArtifactsParallelPartsTest {
    @TempDir
    Path dir;

    @Test
    void atMostFourPartsAndNeverMoreThanThereAre() {
        assertThat(MlflowArtifactsArtifactStore.parallelParts(100)).isEqualTo(4);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(3)).isEqualTo(3);
        assertThat(MlflowArtifactsArtifactStore.parallelParts(1)).isEqualTo(1);
    }

    @Test
    void partsAre64MibUnlessTheChunkSizeIsSet() {
        assertThat(MlflowRestSettings.fromEnvironment(Map.of()).multipartChunkSize()).isEqualTo(64L << 20);
        assertThat(MlflowRestSettings.fromEnvironment(Map.of(MlflowRestSettings.MULTIPART_CHUNK_SIZE, Long.toString(10L << 20)))
                .multipartChunkSize()).as("Python MLflow's default, set explicitly").isEqualTo(10L << 20);
        assertThatThrownBy(() -> MlflowRestSettings.fromEnvironment(Map.of(MlflowRestSettings.MULTIPART_CHUNK_SIZE, "1024")))
                .hasMessageContaining(MlflowRestSettings.MULTIPART_CHUNK_SIZE);
    }

    @Test
    void aPartIsItsRegionOfTheFileWithThatContentLengthAndEachAttemptReadsItAgain() throws Exception {
        byte[] content = new byte[3 * 65536 + 123];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("big.bin"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            HttpRequest.BodyPublisher part = MlflowArtifactsArtifactStore.partPublisher(channel, 1000, 100_000);
            assertThat(part.contentLength()).isEqualTo(100_000);
            byte[] expected = java.util.Arrays.copyOfRange(content, 1000, 101_000);
            assertThat(read(part).get(10, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(read(part).get(10, TimeUnit.SECONDS)).as("a retried PUT sends the same bytes").isEqualTo(expected);
            HttpRequest.BodyPublisher last = MlflowArtifactsArtifactStore.partPublisher(channel, 3 * 65536, 123);
            assertThat(read(last).get(10, TimeUnit.SECONDS)).isEqualTo(java.util.Arrays.copyOfRange(content, 3 * 65536, content.length));
        }
    }

    @Test
    void aFileThatShrankFailsThePart() throws Exception {
        Path file = Files.write(dir.resolve("small.bin"), new byte[1000]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CompletableFuture<byte[]> body = read(MlflowArtifactsArtifactStore.partPublisher(channel, 500, 1000));
            assertThat(body).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingRootCause()
                    .withMessage("the file shrank while it was uploaded");
        }
    }

    /** Everything a publisher publishes, as the HTTP client would consume it. */
    private static CompletableFuture<byte[]> read(Flow.Publisher<ByteBuffer> publisher) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                result.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                result.complete(bytes.toByteArray());
            }
        });
        return result;
    }
}
