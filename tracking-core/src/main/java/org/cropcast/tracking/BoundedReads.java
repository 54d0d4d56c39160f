package org.cropcast.tracking;

import java.io.FilterInputStream;
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
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                count(skipped);
                return skipped;
            }

            private void count(long n) {
                read += n;
                if (read > limit) {
                    throw tooLarge.get();
                }
            }
        };
    }
}
