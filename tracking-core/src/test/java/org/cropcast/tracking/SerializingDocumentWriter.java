package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test stand-in for the application's YAML {@link DocumentWriter}: core must not depend on a
 * YAML library, so its tests round-trip documents with Java serialization instead.
 */
public final class SerializingDocumentWriter implements DocumentWriter {
    @Override
    public void write(Map<String, ?> document, OutputStream out) {
        try {
            ObjectOutputStream objects = new ObjectOutputStream(out);
            objects.writeObject(copy(document));
            objects.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> read(InputStream in) {
        try {
            return (Map<String, Object>) new ObjectInputStream(in).readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Serializable copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            LinkedHashMap<String, Serializable> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (value instanceof Iterable<?> list) {
            ArrayList<Serializable> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        if (value == null || value instanceof Serializable) {
            return (Serializable) value;
        }
        throw new IllegalArgumentException("not a document value: " + value.getClass());
    }

    /** Reads a document written by this writer from storage. */
    public Map<String, Object> read(Storage storage, Location location) {
        try (InputStream in = storage.newInputStream(location)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
