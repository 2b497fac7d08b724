package io.sluice.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** What {@code validate} checks. */
@RegisterForReflection
public enum ValidateMode {
    /** Before migrating: history against scripts, pending scripts, undo scripts; optionally proves undo works. */
    PREFLIGHT,
    /** After migrating: the live schema equals the snapshot of the current version; contract files hold. */
    POST_MIGRATE,
    /** On a schedule: the live schema against the snapshot of the last deployment, with reconcile SQL. */
    DRIFT,
    /** The database's parameters against rules. */
    CONFIG;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ValidateMode parse(String text) {
        for (ValidateMode mode : values()) {
            if (mode.json().equals(text)) {
                return mode;
            }
        }
        throw new InvalidRequest("field 'mode' must be one of " + Arrays.stream(values()).map(ValidateMode::json)
                .collect(Collectors.joining(", ")) + ", got '" + Echo.value(text) + "'");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
