package io.sluice.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/** What {@code validate} checks. */
@RegisterForReflection
public enum ValidateMode {
    /** Before migrating: history against scripts, pending scripts, undo scripts. */
    PREFLIGHT;

    @JsonCreator
    public static ValidateMode parse(String text) {
        for (ValidateMode mode : values()) {
            if (mode.json().equals(text)) {
                return mode;
            }
        }
        throw new InvalidRequest("field 'mode' must be one of " + Arrays.stream(values()).map(ValidateMode::json)
                .collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
