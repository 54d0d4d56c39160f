package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Every input read whole into memory (a configuration or run record file, a model file, a
 * server's answer) is read through here, with a limit counted on the bytes actually read, never
 * on a size the source reports (a device such as {@code /dev/zero} reports 0, a server may send
 * no length or the wrong one, or never stop).
 */
public final class BoundedReads {
    private BoundedReads() {}

    /** All of {@code in} if it holds at most {@code limit} bytes; else the exception {@code tooLarge} supplies, having read {@code limit + 1}. */
    public static byte[] readAtMost(InputStream in, int limit, Supplier<? extends RuntimeException> tooLarge) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw tooLarge.get();
        }
        return bytes;
    }

    /** {@code in} as a stream that throws {@code tooLarge}'s exception once more than {@code limit} bytes were read from it (for parsers that read a stream). */
    public static InputStream limited(InputStream in, long limit, Supplier<? extends RuntimeException> tooLarge) {
        long[] read = {0};
        return new ReadCountingInputStream(in, n -> {
            read[0] += n;
            if (read[0] > limit) {
                throw tooLarge.get();
            }
        });
    }
}
