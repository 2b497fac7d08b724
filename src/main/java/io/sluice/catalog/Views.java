package io.sluice.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Which views of a schema read from which: a view's definition names the views it reads. */
final class Views {

    private Views() {
    }

    /**
     * The views and materialized views of {@code schema} that read from {@code view}, directly or through one
     * another, in an order that creates each after what it reads.
     */
    static List<DbObject> dependants(Snapshot schema, DbObject view) {
        Set<DbObject> found = new LinkedHashSet<>();
        List<DbObject> frontier = List.of(view);
        // Views cannot depend on each other in a cycle; the bound only guards against a definition naming itself.
        for (int depth = 0; !frontier.isEmpty() && depth <= schema.size(); depth++) {
            List<DbObject> next = new ArrayList<>();
            for (DbObject base : frontier) {
                Pattern reads = readerOf(base);
                for (DbObject candidate : schema.objects()) {
                    boolean isView = candidate.kind() == ObjectKind.VIEW || candidate.kind() == ObjectKind.MATERIALIZED_VIEW;
                    if (isView && !candidate.equals(view) && candidate.attribute("definition") != null
                            && reads.matcher(candidate.attribute("definition")).find()) {
                        found.remove(candidate);
                        found.add(candidate);
                        next.add(candidate);
                    }
                }
            }
            frontier = next;
        }
        return List.copyOf(found);
    }

    /**
     * For every view and materialized view of {@code schema}, by key: how many views stand between it and the tables
     * (0 for a view that reads tables only). Creating views in this order creates each after what it reads.
     */
    static Map<String, Integer> depths(Snapshot schema) {
        List<DbObject> views = schema.objects().stream()
                .filter(object -> object.kind() == ObjectKind.VIEW || object.kind() == ObjectKind.MATERIALIZED_VIEW).toList();
        Map<String, Integer> depths = new HashMap<>();
        views.forEach(view -> depths.put(view.key(), 0));
        // Longest path by relaxation: at most one round per view, since views cannot read each other in a cycle.
        for (int round = 0; round < views.size(); round++) {
            boolean changed = false;
            for (DbObject base : views) {
                Pattern reads = readerOf(base);
                for (DbObject reader : views) {
                    if (reader != base && reader.attribute("definition") != null && reads.matcher(reader.attribute("definition")).find()
                            && depths.get(reader.key()) <= depths.get(base.key())) {
                        depths.put(reader.key(), depths.get(base.key()) + 1);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return depths;
    }

    private static Pattern readerOf(DbObject base) {
        return Pattern.compile("(?<![\\w$\"])\"?" + Pattern.quote(bareName(base.name())) + "\"?(?![\\w$\"])");
    }

    /** {@code app."Big Orders"} → {@code Big Orders}; {@code app.orders} → {@code orders}. */
    private static String bareName(String qualified) {
        String name = qualified.substring(qualified.lastIndexOf('.') + 1);
        return name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name;
    }
}
