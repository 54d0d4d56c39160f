package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** A stream that tells {@code onRead} how many bytes each read (or skip) consumed: limits, progress. */
public class ReadCountingInputStream extends FilterInputStream {
    private final LongConsumer onRead;

    public ReadCountingInputStream(InputStream in, LongConsumer onRead) {
        super(requireNonNull(in, "in is null"));
        this.onRead = requireNonNull(onRead, "onRead is null");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            onRead.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            onRead.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            onRead.accept(skipped);
        }
        return skipped;
    }
}
