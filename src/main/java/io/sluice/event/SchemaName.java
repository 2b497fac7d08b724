package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A PostgreSQL schema name from an event. Only plain identifiers are accepted (letters, digits, underscore,
 * dollar; at most 63 bytes) so that a name can never smuggle SQL; {@link #quoted()} is what goes into a statement.
 */
@RegisterForReflection
public record SchemaName(String value) {

    public static final SchemaName PUBLIC = new SchemaName("public");

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public SchemaName {
        Identifiers.plain(value, "schema");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SchemaName of(String value) {
        return new SchemaName(value);
    }

    /** The name as a quoted identifier, ready for SQL text. */
    public String quoted() {
        return Identifiers.quoted(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
