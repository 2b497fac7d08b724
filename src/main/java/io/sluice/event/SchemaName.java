package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * A PostgreSQL schema name from an event. Only plain identifiers are accepted (letters, digits, underscore,
 * dollar; at most 63 bytes) so that a name can never smuggle SQL; {@link #quoted()} is what goes into a statement.
 */
@RegisterForReflection
public record SchemaName(String value) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public static final SchemaName PUBLIC = new SchemaName("public");

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public SchemaName {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new InvalidRequest("field 'schema' must be a plain identifier (letters, digits, _ or $, at most 63,"
                    + " not starting with a digit), got '" + Echo.value(value) + "'");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SchemaName of(String value) {
        return new SchemaName(value);
    }

    /** The name as a quoted identifier, ready for SQL text. */
    public String quoted() {
        return '"' + value + '"';
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
