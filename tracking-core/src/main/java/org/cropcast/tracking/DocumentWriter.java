package org.cropcast.tracking;

import java.io.OutputStream;
import java.util.Map;

/**
 * Serialises a document (nested maps, lists, strings, numbers, booleans) as YAML. Core holds the
 * data; the application implements this port with a YAML library, so core stays free of one.
 */
public interface DocumentWriter {
    /** Writes the document to the stream (without closing it). Keys keep their insertion order. */
    void write(Map<String, ?> document, OutputStream out);

    /** Reads a document written by {@link #write}. */
    Map<String, Object> read(java.io.InputStream in);
}
