package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of data files, streamed through {@link Storage} (local or object store). */
public final class Fingerprints {
    /** Hex characters kept of the digest: enough to tell data versions apart at a glance. */
    public static final int PREFIX_LENGTH = 16;

    private Fingerprints() {}

    /** The full SHA-256 of a file, in lower-case hex. */
    public static String sha256(Storage storage, Location file) {
        try (InputStream in = storage.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }

    /** The first {@value #PREFIX_LENGTH} hex characters of the file's SHA-256. */
    public static String sha256Prefix(Storage storage, Location file) {
        return sha256(storage, file).substring(0, PREFIX_LENGTH);
    }
}
