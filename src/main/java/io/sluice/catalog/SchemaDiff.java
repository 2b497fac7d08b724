package io.sluice.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.sluice.error.Echo;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaDifference.Change;
import io.sluice.event.SchemaDifference.ValueChange;

/**
 * Compares an expected schema with an actual one. The differences come in the order their reconcile SQL must
 * run: first what to drop (dependents before what they depend on), then what to create or alter (in creation
 * order), so that joining the statements gives a script that brings the actual schema back to the expected.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    public static List<SchemaDifference> between(Snapshot expected, Snapshot actual) {
        Set<String> allKeys = new TreeSet<>();
        expected.keys().forEach(allKeys::add);
        actual.keys().forEach(allKeys::add);
        Set<String> droppedTables = new HashSet<>();
        Set<String> missingTables = new HashSet<>();
        for (String key : allKeys) {
            DbObject live = actual.get(key);
            DbObject want = expected.get(key);
            if (want == null && live.kind() == ObjectKind.TABLE) {
                droppedTables.add(live.name());
            }
            if (live == null && want.kind() == ObjectKind.TABLE) {
                missingTables.add(want.name());
            }
        }

        // A view whose definition changed is dropped and created again (CREATE OR REPLACE refuses changed columns),
        // and the views that depend on it with it: they are recreated by its statement, not by their own.
        Map<String, List<DbObject>> dependants = new HashMap<>();
        Map<String, String> recreatedWith = new HashMap<>();
        for (String key : allKeys) {
            DbObject want = expected.get(key);
            DbObject have = actual.get(key);
            if (want != null && have != null && want.kind() == ObjectKind.VIEW
                    && !Objects.equals(want.attribute("definition"), have.attribute("definition"))) {
                List<DbObject> views = Views.dependants(expected, want);
                dependants.put(want.name(), views);
                views.forEach(view -> recreatedWith.putIfAbsent(view.key(), want.name()));
            }
        }

        List<SchemaDifference> drops = new ArrayList<>();
        List<SchemaDifference> creates = new ArrayList<>();
        for (String key : allKeys) {
            DbObject want = expected.get(key);
            DbObject have = actual.get(key);
            if (want == null) {
                drops.add(added(have, droppedTables));
            } else if (recreatedWith.containsKey(key) && !dependants.containsKey(want.name())) {
                if (have == null || !want.attributes().equals(have.attributes())) {
                    creates.add(new SchemaDifference(want.kind().label(), want.name(), have == null ? Change.REMOVED : Change.CHANGED,
                            have == null ? Map.of() : changes(want, have), null, "created with view " + recreatedWith.get(key)));
                }
            } else if (have == null) {
                creates.add(Reconcile.removed(want, expected, missingTables));
            } else if (dependants.containsKey(want.name())) {
                creates.add(Reconcile.changedView(want, changes(want, have), dependants.get(want.name())));
            } else if (!want.attributes().equals(have.attributes())) {
                creates.add(Reconcile.changed(want, have, changes(want, have)));
            }
        }
        drops.sort((a, b) -> Integer.compare(order(b), order(a)));
        // Stable sort: within a kind the name order stays, except that partitions follow their tables.
        Map<String, Integer> viewDepths = Views.depths(expected);
        // A foreign key comes after the indexes: it needs the primary key, unique constraint or unique index it references.
        creates.sort(Comparator.comparingInt((SchemaDifference difference) -> isForeignKey(expected, difference)
                        ? ObjectKind.INDEX.ordinal() * 2 + 1 : order(difference) * 2)
                .thenComparing(difference -> isPartition(expected, difference))
                .thenComparingInt(difference -> viewDepths.getOrDefault(key(difference), 0)));
        List<SchemaDifference> all = new ArrayList<>(drops);
        all.addAll(creates);
        return all;
    }

    /**
     * The reconcile statements of {@code differences}, in order; notes for the rest as one-line comments, their names'
     * control characters escaped so that no name ends a comment and starts a statement.
     */
    public static String reconcileScript(List<SchemaDifference> differences) {
        StringBuilder script = new StringBuilder();
        for (SchemaDifference difference : differences) {
            if (difference.reconcileSql() != null) {
                script.append(difference.reconcileSql()).append('\n');
            } else {
                script.append("-- ").append(Echo.line(difference.summary() + ": " + difference.note())).append('\n');
            }
        }
        return script.toString();
    }

    private static SchemaDifference added(DbObject have, Set<String> droppedTables) {
        String table = have.attribute("table");
        if (have.kind() != ObjectKind.TABLE && table != null && droppedTables.contains(table)) {
            return new SchemaDifference(have.kind().label(), have.name(), Change.ADDED, Map.of(), null,
                    "goes with table " + table);
        }
        return Reconcile.added(have);
    }

    private static Map<String, ValueChange> changes(DbObject want, DbObject have) {
        Map<String, ValueChange> changes = new TreeMap<>();
        Set<String> keys = new TreeSet<>(want.attributes().keySet());
        keys.addAll(have.attributes().keySet());
        for (String key : keys) {
            String expected = want.attribute(key);
            String actual = have.attribute(key);
            if (!Objects.equals(expected, actual)) {
                changes.put(key, new ValueChange(expected, actual));
            }
        }
        return changes;
    }

    private static boolean isPartition(Snapshot expected, SchemaDifference difference) {
        DbObject object = expected.find(ObjectKind.TABLE, difference.name());
        return difference.kind().equals("table") && object != null && object.attribute("partitionOf") != null;
    }

    /** Whether the difference is a foreign key the expected schema has. */
    private static boolean isForeignKey(Snapshot expected, SchemaDifference difference) {
        DbObject object = difference.kind().equals("constraint") ? expected.find(ObjectKind.CONSTRAINT, difference.name()) : null;
        return object != null && "foreign key".equals(object.attribute("type"));
    }

    private static String key(SchemaDifference difference) {
        return ObjectKind.valueOf(difference.kind().toUpperCase().replace(' ', '_')) + " " + difference.name();
    }

    private static int order(SchemaDifference difference) {
        return ObjectKind.valueOf(difference.kind().toUpperCase().replace(' ', '_')).ordinal();
    }
}
