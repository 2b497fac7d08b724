package io.sluice.event;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One way a live schema differs from the schema it should have.
 *
 * @param kind         the object's kind, e.g. "column", "index"
 * @param name         the object, schema-qualified
 * @param change       {@code ADDED} (in the live schema only), {@code REMOVED} (expected, missing), {@code CHANGED}
 * @param attributes   for a change, each property that differs: expected and actual value (null = absent)
 * @param reconcileSql SQL that brings the live object back to the expected one; null where no safe SQL exists
 * @param note         what a person should know: why there is no SQL, or what the SQL costs
 */
@RegisterForReflection
public record SchemaDifference(
        String kind,
        String name,
        Change change,
        Map<String, ValueChange> attributes,
        String reconcileSql,
        String note) {

    /** Which way an object differs. */
    @RegisterForReflection
    public enum Change { ADDED, REMOVED, CHANGED }

    /** An attribute's expected and actual value. */
    @RegisterForReflection
    public record ValueChange(String expected, String actual) {
    }

    public SchemaDifference {
        attributes = Collections.unmodifiableSortedMap(attributes == null ? new TreeMap<>() : new TreeMap<>(attributes));
    }

    /** One line for a person: "column public.orders.note ADDED". */
    public String summary() {
        return kind + " " + name + " " + change + (attributes.isEmpty() ? "" : " " + attributes.keySet());
    }
}
