package io.sluice.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * Which pending scripts a {@code migrate} applies: {@code expand} (default) the pending scripts up to, not including,
 * the first pending contract script; {@code contract} the pending contract scripts (refused while an expand script is
 * pending before them); {@code all} every pending script.
 */
@RegisterForReflection
public enum MigratePhase {
    EXPAND, CONTRACT, ALL;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static MigratePhase parse(String text) {
        for (MigratePhase phase : values()) {
            if (phase.json().equals(text)) {
                return phase;
            }
        }
        throw new InvalidRequest("field 'phase' must be one of expand, contract, all, got '" + Echo.value(text) + "'");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
