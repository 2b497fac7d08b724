package io.sluice.catalog;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One object of a live schema: its kind, a name that identifies it within its kind (schema-qualified; a column
 * or constraint also names its table), and its properties as PostgreSQL itself renders them.
 *
 * @param kind       what it is
 * @param name       identity within its kind, e.g. {@code public.orders}, {@code public.orders.status}
 * @param attributes the properties compared between snapshots, sorted by key
 */
public record DbObject(ObjectKind kind, String name, SortedMap<String, String> attributes) {

    public DbObject {
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    public static DbObject of(ObjectKind kind, String name, Map<String, String> attributes) {
        TreeMap<String, String> kept = new TreeMap<>();
        attributes.forEach((key, value) -> {
            if (value != null) {
                kept.put(key, value);
            }
        });
        return new DbObject(kind, name, kept);
    }

    public String attribute(String key) {
        return attributes.get(key);
    }

    /** The key under which snapshots index this object. */
    public String key() {
        return kind + " " + name;
    }
}
