package org.cropcast.tracking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One master seed ({@code random_seed}) giving each component its own reproducible random
 * generator: the component's seed is derived from the master seed and the component name by
 * SHA-256, so adding a component or drawing more numbers in one never shifts another's stream.
 */
public record Seeds(long masterSeed) {
    /** The seed of one component (for libraries that take a long). */
    public long seedFor(String component) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(masterSeed).array());
            digest.update(component.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }

    /** A fresh generator for one component; the same name and master seed give the same stream. */
    public RandomGenerator forComponent(String component) {
        return new SplittableRandom(seedFor(component));
    }
}
