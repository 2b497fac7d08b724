package io.sluice.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A schema as a sorted set of objects, with a canonical JSON form: the same schema gives the same bytes whatever
 * order its objects were created in, so a snapshot's SHA-256 identifies a schema.
 */
public final class Snapshot {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final Comparator<DbObject> ORDER = Comparator.comparing(DbObject::kind).thenComparing(DbObject::name);

    private final Map<String, DbObject> objects;

    private Snapshot(List<DbObject> sorted) {
        Map<String, DbObject> byKey = new LinkedHashMap<>();
        for (DbObject object : sorted) {
            byKey.put(object.key(), object);
        }
        this.objects = byKey;
    }

    public static Snapshot of(List<DbObject> objects) {
        List<DbObject> sorted = new ArrayList<>(objects);
        sorted.sort(ORDER);
        return new Snapshot(sorted);
    }

    /** An empty schema: what a database looks like before its first migration. */
    public static Snapshot empty() {
        return of(List.of());
    }

    public List<DbObject> objects() {
        return List.copyOf(objects.values());
    }

    public DbObject find(ObjectKind kind, String name) {
        return objects.get(kind + " " + name);
    }

    DbObject get(String key) {
        return objects.get(key);
    }

    Iterable<String> keys() {
        return objects.keySet();
    }

    /**
     * The schema as an expected state: without INVALID indexes, which are leftovers of a failed or interrupted
     * {@code CREATE INDEX CONCURRENTLY}, never something a migration promised. Compared with it, a live INVALID
     * index shows up as an added object.
     */
    public Snapshot withoutInvalidIndexes() {
        return of(objects.values().stream()
                .filter(object -> !(object.kind() == ObjectKind.INDEX && "false".equals(object.attribute("valid"))))
                .toList());
    }

    public int size() {
        return objects.size();
    }

    /** The canonical JSON text: objects sorted by kind then name, attributes sorted by key, no whitespace. */
    public String toJson() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DbObject object : objects.values()) {
            Map<String, Object> row = new TreeMap<>();
            row.put("kind", object.kind().name());
            row.put("name", object.name());
            row.put("attributes", object.attributes());
            rows.add(row);
        }
        try {
            return JSON.writeValueAsString(Map.of("objects", rows));
        } catch (IOException e) {
            throw new IllegalStateException("a snapshot failed to serialise", e);
        }
    }

    public static Snapshot fromJson(String json) {
        try {
            Map<String, List<Map<String, Object>>> root = JSON.readValue(json, new TypeReference<>() { });
            List<DbObject> objects = new ArrayList<>();
            for (Map<String, Object> row : root.get("objects")) {
                @SuppressWarnings("unchecked")
                Map<String, String> attributes = (Map<String, String>) row.get("attributes");
                objects.add(DbObject.of(ObjectKind.valueOf((String) row.get("kind")), (String) row.get("name"), attributes));
            }
            return of(objects);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a Sluice schema snapshot: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the canonical JSON, in hex. */
    public String sha256() {
        return sha256(toJson());
    }

    /** SHA-256 of a snapshot's canonical JSON already serialised, in hex: for callers that store the JSON too. */
    public static String sha256(String canonicalJson) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot snapshot && snapshot.objects.equals(objects);
    }

    @Override
    public int hashCode() {
        return objects.hashCode();
    }
}
