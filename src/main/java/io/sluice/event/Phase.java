package io.sluice.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The phase of a versioned script, declared in it as {@code -- sluice:phase contract} (default {@code expand}).
 * Expand scripts only add what the running application does not yet use, so the release before and the release after
 * both work on the schema they leave; contract scripts take away what only the old release used, and run once the new
 * release serves all traffic.
 */
@RegisterForReflection
public enum Phase {
    EXPAND, CONTRACT;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
