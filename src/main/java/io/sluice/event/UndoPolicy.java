package io.sluice.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** What a pending {@code V} script without its {@code U} undo script means to {@code validate}. */
@RegisterForReflection
public enum UndoPolicy {
    ERROR, WARN, OFF;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UndoPolicy parse(String text) {
        for (UndoPolicy policy : values()) {
            if (policy.json().equals(text)) {
                return policy;
            }
        }
        throw new InvalidRequest("field 'undoPolicy' must be one of error, warn, off, got '" + Echo.value(text) + "'");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
