package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A PostgreSQL role name from an event (the canary's {@code probeRole}): a plain identifier, so that it can never
 * smuggle SQL; {@link #quoted()} is what goes into a statement.
 */
@RegisterForReflection
public record RoleName(String value) {

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public RoleName {
        Identifiers.plain(value, "probeRole");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RoleName of(String value) {
        return new RoleName(value);
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
