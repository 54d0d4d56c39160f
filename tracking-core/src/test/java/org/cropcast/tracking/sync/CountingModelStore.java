package org.cropcast.tracking.sync;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.cropcast.tracking.ModelStore;

/** A model store that counts every write (any method but reads and {@code close}) into a shared counter. */
final class CountingModelStore {
    private CountingModelStore() {}

    static ModelStore wrap(ModelStore delegate, AtomicInteger writes) {
        return (ModelStore) Proxy.newProxyInstance(ModelStore.class.getClassLoader(), new Class<?>[] {ModelStore.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    boolean read = name.startsWith("get") || name.startsWith("list") || name.startsWith("search")
                            || name.equals("close") || method.getDeclaringClass() == Object.class;
                    if (!read) {
                        writes.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
