package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactFile;
import org.cropcast.tracking.ArtifactPaths;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingErrorCode;
import org.mlflow.api.proto.MlflowArtifacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ArtifactStore} for {@code mlflow-artifacts:} artifact roots: the tracking server's
 * artifact proxy ({@code mlflow server --serve-artifacts}), spoken natively over HTTP, never
 * through a Python subprocess. {@code mlflow-artifacts:/1/<run>/artifacts} resolves against the
 * tracking server in use ({@link MlflowRestConnections}), {@code mlflow-artifacts://host:port/...}
 * against that host, as Python MLflow does.
 *
 * <ul>
 *   <li>upload: {@code PUT /api/2.0/mlflow-artifacts/artifacts/<root>/<path>}, the body streamed
 *       from the file (retried uploads re-read it); with {@code MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true}
 *       and files of at least {@code MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE} bytes,
 *       {@code mpu/create}, parts PUT to the presigned URLs the server hands out (up to
 *       {@value #MAX_PARALLEL_PARTS} at once, each streamed from its region of the file), then
 *       {@code mpu/complete} ({@code mpu/abort} on failure); falls back to a single PUT when the
 *       server's store does not support multipart (501);</li>
 *   <li>several files ({@link #logFiles}, a directory's tree): up to {@value #MAX_PARALLEL_FILES}
 *       PUTs at once on the server's shared HTTP client, every path validated first;</li>
 *   <li>list: {@code GET /api/2.0/mlflow-artifacts/artifacts?path=<root>/<path>};</li>
 *   <li>read: {@code GET /api/2.0/mlflow-artifacts/artifacts/<root>/<path>}, streamed.</li>
 * </ul>
 * Paths are validated with {@link ArtifactPaths} before anything is sent.
 */
public final class MlflowArtifactsArtifactStore implements ArtifactStore {
    public static final String SCHEME = "mlflow-artifacts";
    private static final Logger log = LoggerFactory.getLogger(MlflowArtifactsArtifactStore.class);
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String MPU = "/api/2.0/mlflow-artifacts/mpu/";
    private static final String MULTIPART_UNSUPPORTED = "Multipart upload is not supported";
    /** Parts uploaded at once (Python MLflow's client uses a thread pool too). */
    static final int MAX_PARALLEL_PARTS = 4;
    /** Files of one batch uploaded at once (Python MLflow's client uploads them one after the other). */
    static final int MAX_PARALLEL_FILES = 4;

    private final Supplier<MlflowRestConnections> connections;

    public MlflowArtifactsArtifactStore(MlflowRestConnections connections) {
        requireNonNull(connections, "connections is null");
        this.connections = () -> connections;
    }

    /** With the connections made on first use (so settings are read only when this store is used). */
    MlflowArtifactsArtifactStore(Supplier<MlflowRestConnections> connections) {
        this.connections = requireNonNull(connections, "connections is null");
    }

    /** A server and the artifact root's path relative to its artifact destination. */
    private record Root(MlflowRestClient client, String path) {
        String join(String relative) {
            return ArtifactPaths.join(path, relative);
        }
    }

    @Override
    public boolean supports(String artifactUri) {
        return artifactUri != null && artifactUri.toLowerCase(Locale.ROOT).startsWith(SCHEME + ":");
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        Root root = root(artifactUri);
        String base = ArtifactPaths.validate(artifactPath);
        requireExists(localFile);
        String name = ArtifactPaths.validate(localFile.getFileName().toString());
        if (Files.isDirectory(localFile)) {
            uploadTree(root, localFile, ArtifactPaths.join(base, name));
        } else {
            upload(root, localFile, ArtifactPaths.join(base, name));
        }
    }

    @Override
    public void logFiles(String artifactUri, List<ArtifactFile> files) {
        ArtifactStore.requireValidBatch(files);
        Root root = root(artifactUri);
        List<Upload> uploads = new ArrayList<>();
        for (ArtifactFile file : files) {
            String target = ArtifactPaths.join(ArtifactPaths.validate(file.artifactPath()),
                    ArtifactPaths.validate(file.localFile().getFileName().toString()));
            if (Files.isDirectory(file.localFile())) {
                uploads.addAll(treeUploads(file.localFile(), target));
            } else {
                uploads.add(new Upload(file.localFile(), target));
            }
        }
        uploadAll(root, uploads);
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        Root root = root(artifactUri);
        String base = ArtifactPaths.validate(artifactPath);
        requireExists(localDirectory);
        if (!Files.isDirectory(localDirectory)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND,
                    "cannot log the contents of " + localDirectory + ": it is not a directory");
        }
        uploadTree(root, localDirectory, base);
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        Root root = root(artifactUri);
        String relative = ArtifactPaths.validate(path);
        String full = root.join(relative);
        Map<String, String> query = full.isEmpty() ? Map.of() : Map.of("path", full);
        MlflowArtifacts.ListArtifacts.Response.Builder response = root.client().get(ARTIFACTS, query,
                MlflowArtifacts.ListArtifacts.Response.newBuilder());
        List<ArtifactEntry> entries = new ArrayList<>();
        for (MlflowArtifacts.FileInfo file : response.getFilesList()) {
            // the server lists basenames; check them as any other path before using them
            String name = ArtifactPaths.validate(file.getPath());
            entries.add(new ArtifactEntry(ArtifactPaths.join(relative, name), file.getIsDir(),
                    file.getIsDir() ? Optional.empty() : Optional.of(file.getFileSize())));
        }
        entries.sort(Comparator.comparing(ArtifactEntry::path));
        return List.copyOf(entries);
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        Root root = root(artifactUri);
        String relative = ArtifactPaths.validate(path);
        URI uri = artifactUri(root, root.join(relative));
        String operation = "download artifact '" + relative + "'";
        var result = root.client().tryOpen(operation, () -> root.client().request(uri, true).GET());
        if (result.error().isPresent()) {
            MlflowRestClient.ApiError error = result.error().get();
            if (error.status() == 404 && !error.errorCode().equals("ENDPOINT_NOT_FOUND") || isMissingFile(error)) {
                throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND,
                        "artifact '" + relative + "' does not exist under " + Redactor.redact(artifactUri));
            }
            throw root.client().failure(operation, error);
        }
        return result.value().get().body();
    }

    @Override
    public String toString() {
        return "MlflowArtifactsArtifactStore";
    }

    // ---- uploads ----

    /** One file and its path under the artifact root. */
    private record Upload(Path file, String relative) {}

    private void uploadTree(Root root, Path directory, String base) {
        uploadAll(root, treeUploads(directory, base));
    }

    /** The files of a local tree and their targets under {@code base}, every path validated. */
    private static List<Upload> treeUploads(Path directory, String base) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CropcastException(MlflowRestErrorCode.LOCAL_FILE_UNREADABLE, "cannot list " + directory + ": " + e.getMessage(), e);
        }
        // validate every path before uploading anything
        List<Upload> uploads = new ArrayList<>();
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            uploads.add(new Upload(file, ArtifactPaths.join(base, relative)));
        }
        return uploads;
    }

    /**
     * Uploads the files, up to {@link #MAX_PARALLEL_FILES} at once (each PUT is retried on its own);
     * the first failure cancels the uploads not yet done and is thrown.
     */
    private void uploadAll(Root root, List<Upload> uploads) {
        if (uploads.size() <= 1) {
            uploads.forEach(u -> upload(root, u.file(), u.relative()));
            return;
        }
        ExecutorService pool = daemonPool(Math.min(MAX_PARALLEL_FILES, uploads.size()), "cropcast-artifact-upload");
        try {
            java.util.concurrent.CompletionService<Void> done = new java.util.concurrent.ExecutorCompletionService<>(pool);
            for (Upload u : uploads) {
                done.submit(() -> {
                    upload(root, u.file(), u.relative());
                    return null;
                });
            }
            for (int i = 0; i < uploads.size(); i++) {
                try {
                    result(done.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CropcastException(MlflowRestErrorCode.INTERRUPTED,
                            root.client().shownUri() + ": interrupted while uploading " + uploads.size() + " artifacts", e);
                } catch (IOException e) {
                    throw new CropcastException(MlflowRestErrorCode.ARTIFACT_TRANSFER_FAILED,
                            root.client().shownUri() + ": uploading artifacts failed: " + e.getMessage(), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ExecutorService daemonPool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private void upload(Root root, Path file, String relative) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CropcastException(MlflowRestErrorCode.LOCAL_FILE_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!Files.isReadable(file)) {
            throw new CropcastException(MlflowRestErrorCode.LOCAL_FILE_UNREADABLE, "cannot read " + file + ": permission denied");
        }
        MlflowRestSettings settings = root.client().settings();
        if (settings.multipartUpload() && size >= settings.multipartMinimumSize() && uploadMultipart(root, file, relative, size)) {
            return;
        }
        URI uri = artifactUri(root, root.join(relative));
        String operation = "upload artifact '" + relative + "'";
        try (MlflowRestClient.Opened response = root.client().open(operation, () -> root.client().request(uri, true)
                .header("Content-Type", "application/octet-stream")
                .PUT(publisher(file)))) {
            response.body().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new CropcastException(MlflowRestErrorCode.ARTIFACT_TRANSFER_FAILED,
                    root.client().shownUri() + ": " + operation + " failed: " + e.getMessage(), e);
        }
    }

    private static HttpRequest.BodyPublisher publisher(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new CropcastException(MlflowRestErrorCode.LOCAL_FILE_UNREADABLE, "cannot read " + file + ": it disappeared", e);
        }
    }

    /** Multipart through presigned URLs; false when the server's artifact store does not support it. */
    private boolean uploadMultipart(Root root, Path file, String relative, long size) {
        MlflowRestClient client = root.client();
        long chunk = client.settings().multipartChunkSize();
        long parts = Math.max(1, (size + chunk - 1) / chunk);
        String target = root.join(relative);
        int slash = target.lastIndexOf('/');
        String directory = slash < 0 ? "" : target.substring(0, slash);
        String name = target.substring(slash + 1);
        String suffix = directory.isEmpty() ? "" : "/" + directory;
        var created = client.tryPost(MPU + "create" + encode(suffix), MlflowArtifacts.CreateMultipartUpload.newBuilder()
                .setPath(name).setNumParts(parts), MlflowArtifacts.CreateMultipartUpload.Response.newBuilder());
        if (created.error().isPresent()) {
            MlflowRestClient.ApiError error = created.error().get();
            if (error.status() == 501 || error.message().startsWith(MULTIPART_UNSUPPORTED)) {
                log.debug("{}: multipart upload unsupported by the server's artifact store; uploading {} in one request",
                        client.shownUri(), relative);
                return false;
            }
            throw client.failure("start multipart upload of '" + relative + "'", error);
        }
        MlflowArtifacts.CreateMultipartUpload.Response upload = created.value().get().build();
        try {
            MlflowArtifacts.CompleteMultipartUpload.Builder complete = MlflowArtifacts.CompleteMultipartUpload.newBuilder()
                    .setPath(name).setUploadId(upload.getUploadId());
            List<MlflowArtifacts.MultipartUploadCredential> credentials = upload.getCredentialsList();
            List<String> etags = uploadParts(client, file, relative, size, chunk, credentials);
            for (int i = 0; i < credentials.size(); i++) {
                complete.addParts(MlflowArtifacts.MultipartUploadPart.newBuilder()
                        .setPartNumber(credentials.get(i).getPartNumber()).setEtag(etags.get(i)).setUrl(credentials.get(i).getUrl()));
            }
            client.post(MPU + "complete" + encode(suffix), complete, MlflowArtifacts.CompleteMultipartUpload.Response.newBuilder());
            return true;
        } catch (IOException | RuntimeException e) {
            try {
                client.post(MPU + "abort" + encode(suffix), MlflowArtifacts.AbortMultipartUpload.newBuilder()
                        .setPath(name).setUploadId(upload.getUploadId()), MlflowArtifacts.AbortMultipartUpload.Response.newBuilder());
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof CropcastException cropcast) {
                throw cropcast;
            }
            throw new CropcastException(MlflowRestErrorCode.ARTIFACT_TRANSFER_FAILED,
                    client.shownUri() + ": multipart upload of '" + relative + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Uploads the parts in parallel, as Python MLflow's client does: at most {@link #MAX_PARALLEL_PARTS}
     * at once. Each part is streamed from the file ({@link #partPublisher}), so the heap holds no part
     * whole whatever the chunk size, and a retried PUT reads the same region again. The ETags in the
     * order of {@code credentials}; the first failure cancels the parts not yet sent and is thrown.
     */
    private static List<String> uploadParts(MlflowRestClient client, Path file, String relative, long size, long chunk,
            List<MlflowArtifacts.MultipartUploadCredential> credentials) throws IOException {
        int parallel = parallelParts(credentials.size());
        ExecutorService pool = daemonPool(parallel, "cropcast-part-upload");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<String>> parts = new ArrayList<>(credentials.size());
            for (MlflowArtifacts.MultipartUploadCredential credential : credentials) {
                long start = (credential.getPartNumber() - 1) * chunk;
                long length = Math.min(chunk, size - start);
                parts.add(pool.submit(() -> uploadPart(client, credential, partPublisher(channel, start, length), relative)));
            }
            List<String> etags = new ArrayList<>(parts.size());
            for (Future<String> part : parts) {
                etags.add(result(part));
            }
            return etags;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many parts go up at once: 1 to {@link #MAX_PARALLEL_PARTS}, never more than there are. */
    static int parallelParts(int parts) {
        return Math.max(1, Math.min(parts, MAX_PARALLEL_PARTS));
    }

    private static <T> T result(Future<T> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * The body of one part: {@code length} bytes of {@code channel} from {@code start}, read as they are
     * sent, with that Content-Length (a presigned S3 PUT needs one; a chunked body would be refused).
     * Every subscription (every attempt) reads the region afresh; a file that ends early fails the part.
     */
    static HttpRequest.BodyPublisher partPublisher(FileChannel channel, long start, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new RegionInputStream(channel, start, length)), length);
    }

    /** A region of a file read with positional reads, so that parts share one channel without a position. */
    private static final class RegionInputStream extends java.io.InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionInputStream(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int read = channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, end - position)), position);
            if (read < 0) {
                throw new IOException("the file shrank while it was uploaded");
            }
            position += read;
            return read;
        }
    }

    private static String uploadPart(MlflowRestClient client, MlflowArtifacts.MultipartUploadCredential credential,
            HttpRequest.BodyPublisher body, String relative) throws IOException {
        URI url = URI.create(credential.getUrl());
        String operation = "upload part " + credential.getPartNumber() + " of '" + relative + "'";
        // a presigned URL carries its own authorisation: the tracking server's credentials are not sent
        try (MlflowRestClient.Opened response = client.open(operation, () -> {
            HttpRequest.Builder builder = client.request(url, false).PUT(body);
            credential.getHeadersMap().forEach(builder::header);
            return builder;
        })) {
            response.body().transferTo(java.io.OutputStream.nullOutputStream());
            return response.headers().firstValue("ETag").orElseThrow(() -> new CropcastException(MlflowRestErrorCode.UNEXPECTED_RESPONSE,
                    client.shownUri() + ": " + operation + " got no ETag from the object store"));
        }
    }

    // ---- URIs ----

    private Root root(String artifactUri) {
        requireNonNull(artifactUri, "artifactUri is null");
        if (!supports(artifactUri)) {
            throw new CropcastException(MlflowRestErrorCode.UNSUPPORTED_ARTIFACT_URI,
                    "artifact URI '" + Redactor.truncateForMessage(Redactor.redact(artifactUri)) + "' is not an " + SCHEME + ": URI");
        }
        URI uri;
        try {
            uri = new URI(artifactUri);
        } catch (URISyntaxException e) {
            throw new CropcastException(MlflowRestErrorCode.UNSUPPORTED_ARTIFACT_URI,
                    "invalid artifact URI '" + Redactor.truncateForMessage(Redactor.redact(artifactUri)) + "': " + e.getReason());
        }
        String path = ArtifactPaths.validate(Optional.ofNullable(uri.getPath()).orElse("").replaceFirst("^/+", ""));
        MlflowRestClient client;
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            String scheme = connections.get().trackingServer().map(URI::getScheme).orElse("http");
            client = connections.get().client(scheme + "://" + uri.getRawAuthority());
        } else {
            URI server = connections.get().trackingServer().orElseThrow(() -> new CropcastException(MlflowRestErrorCode.UNSUPPORTED_ARTIFACT_URI,
                    "artifact URI '" + Redactor.redact(artifactUri) + "' names no server and no http(s) tracking URI is in use"));
            client = connections.get().client(server);
        }
        return new Root(client, path);
    }

    private static URI artifactUri(Root root, String fullPath) {
        return URI.create(root.client().server() + ARTIFACTS + encode("/" + fullPath));
    }

    /** Percent-encodes a validated '/'-separated path for use in a URI path. */
    private static String encode(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH,
                    "invalid artifact path '" + Redactor.truncateForMessage(path) + "': " + e.getReason());
        }
    }

    private static void requireExists(Path file) {
        if (!Files.exists(file)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "cannot log " + file + ": it does not exist");
        }
    }

    private static boolean isMissingFile(MlflowRestClient.ApiError error) {
        return error.errorCode().equals("RESOURCE_DOES_NOT_EXIST")
                || error.message().contains("No such file or directory");
    }
}
