package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cropcast.tracking.ArtifactPaths;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.ObjectStaging;
import org.cropcast.tracking.PendingFile;
import org.cropcast.tracking.StagedPath;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link Storage} for {@code s3://bucket/key} locations on the AWS SDK v2 sync client.
 *
 * <ul>
 *   <li>reads stream ({@link S3InputStream}, resuming a broken body with a ranged GET);</li>
 *   <li>writes stream through one bounded part buffer, multipart above the part size
 *       ({@link S3OutputStream}); {@link #write} completes the upload only if the writer
 *       succeeds and aborts it otherwise;</li>
 *   <li>{@link #createIfAbsent} is a conditional PutObject ({@code If-None-Match: *});</li>
 *   <li>{@link #list} pages through ListObjectsV2 (any number of keys) and treats the location as
 *       a directory: {@code s3://b/runs} lists keys under {@code runs/}, not {@code runsX};</li>
 *   <li>{@link #copy} is server-side: CopyObject, or UploadPartCopy above
 *       {@link S3StorageConfig#multipartCopyThresholdBytes()}; no object byte passes through
 *       this process;</li>
 *   <li>{@link #stage} downloads into a fresh temporary directory, removed on close and on failure.</li>
 * </ul>
 * Failures become {@link CropcastException}: a missing key is {@link TrackingErrorCode#LOCATION_NOT_FOUND},
 * the rest {@link S3ErrorCode}. Artifacts on S3 go through core's {@code StorageArtifactStore} over
 * this storage, which offers server-side copies through {@link #copiesServerSide}. Throttling and transient errors are retried by the SDK's standard
 * retry strategy, configured in {@link S3StorageFactory}.
 */
public final class S3Storage implements Storage, AutoCloseable {
    public static final String SCHEME = "s3";
    private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409;
    private static final int NOT_IMPLEMENTED = 501;

    private final LazyS3Client client;
    private final S3StorageConfig config;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    /** A storage over a client the caller built; {@link #close()} closes that client. */
    public S3Storage(S3Client client, S3StorageConfig config) {
        this(LazyS3Client.of(client), config);
    }

    S3Storage(LazyS3Client client, S3StorageConfig config) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
    }

    public S3StorageConfig config() {
        return config;
    }

    S3Client client() {
        return client.get();
    }

    @Override
    public boolean supports(Location location) {
        return SCHEME.equals(location.scheme());
    }

    /** True if an object exists at the key; a bucket root or a key ending in '/' is never a file. */
    @Override
    public boolean exists(Location location) {
        requireS3(location);
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            return false;
        }
        return head(location, "check").isPresent();
    }

    /** The object's metadata, or empty if there is no object at the key (a missing bucket is an error). */
    Optional<HeadObjectResponse> head(Location location, String operation) {
        try {
            HeadObjectResponse response = client().headObject(b -> b.bucket(location.bucket()).key(location.key()));
            knownBuckets.add(location.bucket());
            return Optional.of(response);
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw S3Errors.translate(e, operation, location);
            }
        }
        // a HEAD 404 has no body, so it cannot tell a missing key from a missing bucket
        requireBucket(location, operation);
        return Optional.empty();
    }

    @Override
    public InputStream newInputStream(Location location) {
        requireObjectKey(location, "read");
        return new S3InputStream(client(), location, config.maxAttempts() - 1);
    }

    /**
     * Streams the writer's bytes into an upload ({@link S3OutputStream}) that is completed only if
     * the writer returns normally; otherwise the multipart upload is aborted (or the single PUT is
     * never sent), so no object and no dangling upload remain and a previous object is untouched.
     */
    @Override
    public void write(Location location, Writer writer) {
        requireObjectKey(location, "write");
        S3OutputStream out = new S3OutputStream(client(), location, config.multipartPartSizeBytes());
        PendingFile.write(location, PendingFile.of(out, out::close, out::discard), writer);
    }

    /**
     * A PutObject with {@code If-None-Match: *} (S3 conditional writes): S3 answers 412
     * Precondition Failed if an object exists at the key, and 409 ConditionalRequestConflict if
     * a concurrent conditional write to the key is in flight; both mean false. An endpoint that
     * answers 501 Not Implemented is {@link TrackingErrorCode#ATOMIC_CREATE_UNSUPPORTED}. The store
     * must honour the header atomically (AWS S3 does since August 2024); one that ignores it would
     * overwrite, and S3Mock 5.2.0 checks it without a lock; see docs/S3.md.
     */
    @Override
    public boolean createIfAbsent(Location location, byte[] content) {
        requireObjectKey(location, "create");
        try {
            client().putObject(b -> b.bucket(location.bucket()).key(location.key()).ifNoneMatch("*"),
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT) {
                log.debug("{} exists already (or is being created): {}", location, e.statusCode());
                return false;
            }
            if (e.statusCode() == NOT_IMPLEMENTED) {
                throw S3Errors.error(TrackingErrorCode.ATOMIC_CREATE_UNSUPPORTED, "create " + location
                        + " only if absent failed: this S3 endpoint does not implement conditional writes (If-None-Match)", e);
            }
            throw S3Errors.translate(e, "create", location);
        } catch (SdkException e) {
            throw S3Errors.translate(e, "create", location);
        }
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        requireS3(prefix);
        String keyPrefix = directoryPrefix(prefix.key());
        List<FileEntry> entries = new ArrayList<>();
        try {
            client().listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(keyPrefix)).contents().forEach(object -> {
                if (!object.key().endsWith("/")) {
                    entries.add(new FileEntry(new Location(SCHEME, prefix.bucket(), object.key()), object.size()));
                }
            });
        } catch (SdkException e) {
            throw S3Errors.translate(e, "list", prefix);
        }
        // S3 orders by UTF-8 bytes; the contract orders by location (Java string order)
        entries.sort(Comparator.comparing(entry -> entry.location().key()));
        return entries;
    }

    /** True between two {@code s3://} locations: {@link #copy} then runs inside S3. */
    @Override
    public boolean copiesServerSide(Location source, Location target) {
        return supports(source) && supports(target);
    }

    @Override
    public void copy(Location source, Location target) {
        requireObjectKey(source, "copy");
        requireObjectKey(target, "copy");
        HeadObjectResponse head = head(source, "copy").orElseThrow(() -> S3Errors.error(
                TrackingErrorCode.LOCATION_NOT_FOUND, "copy " + source + " to " + target + " failed: no such key", null));
        long size = head.contentLength();
        if (source.equals(target)) {
            return; // S3 refuses to copy an object onto itself unchanged; the content is already there
        }
        try {
            if (size > config.multipartCopyThresholdBytes()) {
                multipartCopy(source, target, size, head);
            } else {
                client().copyObject(b -> b.sourceBucket(source.bucket()).sourceKey(source.key())
                        .destinationBucket(target.bucket()).destinationKey(target.key()));
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, "copy " + source + " to", target);
        }
        log.debug("copied {} to {} server-side ({} bytes)", source, target, size);
    }

    private void multipartCopy(Location source, Location target, long size, HeadObjectResponse head) {
        // S3 allows 10,000 parts: widen the parts for very large objects
        long partSize = Math.max(config.multipartCopyPartSizeBytes(), (size + 9_999) / 10_000);
        String uploadId = client().createMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                .contentType(head.contentType()).metadata(head.metadata())).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += partSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(start + partSize, size) - 1);
                String eTag = client().uploadPartCopy(b -> b.sourceBucket(source.bucket()).sourceKey(source.key())
                        .copySourceIfMatch(head.eTag()).copySourceRange(range)
                        .destinationBucket(target.bucket()).destinationKey(target.key())
                        .uploadId(uploadId).partNumber(partNumber)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            }
            client().completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | CropcastException e) {
            try {
                client().abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    @Override
    public void delete(Location location) {
        requireObjectKey(location, "delete");
        try {
            client().deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(e, "delete", location);
        }
    }

    /** Aborts the multipart uploads still open under the prefix (a writer killed mid-upload leaves them behind, billed and invisible). */
    @Override
    public int discardIncompleteWrites(Location prefix) {
        requireS3(prefix);
        String keyPrefix = directoryPrefix(prefix.key());
        int aborted = 0;
        try {
            for (MultipartUpload upload : client().listMultipartUploadsPaginator(b -> b.bucket(prefix.bucket()).prefix(keyPrefix)).uploads()) {
                client().abortMultipartUpload(b -> b.bucket(prefix.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        } catch (SdkException e) {
            throw S3Errors.translate(e, "discard unfinished uploads under", prefix);
        }
        return aborted;
    }

    /**
     * Downloads one object to {@code <tmp>/<file name>}, or every object under a prefix to
     * {@code <tmp>/<prefix name>/...}; {@link StagedPath#path()} is that file or directory.
     * Downloads go through the SDK's retry strategy, a connection broken mid-body included.
     * Keys that would land outside the directory ({@code ..} segments and the like, which S3
     * allows) are refused with {@link S3ErrorCode#UNSAFE_OBJECT_KEY}.
     */
    @Override
    public StagedPath stage(Location location) {
        requireS3(location);
        Path directory;
        try {
            directory = Files.createTempDirectory("cropcast-s3-stage-");
        } catch (IOException e) {
            throw S3Errors.local(e, "stage", location);
        }
        try {
            Path staged = stageInto(location, directory);
            log.debug("staged {} into {}", location, staged);
            return new TemporaryStagedPath(staged, directory);
        } catch (RuntimeException e) {
            deleteRecursively(directory, e);
            throw e;
        }
    }

    private Path stageInto(Location location, Path directory) {
        if (!location.key().isEmpty() && !location.key().endsWith("/") && head(location, "stage").isPresent()) {
            Path file = directory.resolve(safeRelative(location.fileName(), location));
            download(location, file);
            return file;
        }
        List<FileEntry> entries = list(location);
        if (entries.isEmpty()) {
            throw S3Errors.error(TrackingErrorCode.LOCATION_NOT_FOUND,
                    "stage " + location + " failed: no object and no key under this prefix", null);
        }
        String name = location.fileName().isEmpty() ? location.bucket() : location.fileName();
        Path root = directory.resolve(safeRelative(name, location));
        String keyPrefix = directoryPrefix(location.key());
        for (FileEntry entry : entries) {
            Location object = entry.location();
            Path file = root.resolve(safeRelative(object.key().substring(keyPrefix.length()), object));
            download(object, file);
        }
        return root;
    }

    private void download(Location object, Path file) {
        try {
            Files.createDirectories(file.getParent());
            // ResponseTransformer.toFile deletes a half-written file and lets the SDK retry
            client().getObject(b -> b.bucket(object.bucket()).key(object.key()), ResponseTransformer.toFile(file));
        } catch (IOException e) {
            throw S3Errors.local(e, "stage", object);
        } catch (SdkException e) {
            throw S3Errors.translate(e, "stage", object);
        }
    }

    /** A key (or part of one) as a relative path that cannot leave the staging directory. */
    static String safeRelative(String relative, Location object) {
        try {
            String validated = ArtifactPaths.validate(relative);
            if (validated.isEmpty()) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH, "empty path");
            }
            return validated;
        } catch (CropcastException e) {
            throw S3Errors.error(S3ErrorCode.UNSAFE_OBJECT_KEY,
                    "object key " + object + " cannot be mapped to a safe relative path: " + e.getMessage(), e);
        }
    }

    static String directoryPrefix(String key) {
        return key.isEmpty() || key.endsWith("/") ? key : key + "/";
    }

    private void requireBucket(Location location, String operation) {
        if (knownBuckets.contains(location.bucket())) {
            return;
        }
        try {
            client().headBucket(b -> b.bucket(location.bucket()));
            knownBuckets.add(location.bucket());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw S3Errors.error(S3ErrorCode.NO_SUCH_BUCKET,
                        operation + " " + location + " failed: no such bucket '" + location.bucket() + "'", e);
            }
            throw S3Errors.translate(e, operation, location);
        }
    }

    private void requireS3(Location location) {
        if (!supports(location)) {
            throw S3Errors.error(S3ErrorCode.S3_INTERNAL_ERROR,
                    "S3Storage cannot serve " + location + " (scheme '" + location.scheme() + "')", null);
        }
    }

    private void requireObjectKey(Location location, String operation) {
        requireS3(location);
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw S3Errors.error(TrackingErrorCode.INVALID_LOCATION,
                    operation + " " + location + " failed: an object key is needed, not a bucket or prefix", null);
        }
    }

    static void deleteRecursively(Path directory, Exception primary) {
        try {
            ObjectStaging.deleteRecursively(directory);
        } catch (UncheckedIOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                throw S3Errors.error(TrackingErrorCode.STORAGE_FAILURE,
                        "cannot remove the staging directory " + directory + ": " + e.getCause().getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3Storage[" + config + "]";
    }

    private record TemporaryStagedPath(Path path, Path directory) implements StagedPath {
        @Override
        public void close() {
            deleteRecursively(directory, null);
        }
    }
}
