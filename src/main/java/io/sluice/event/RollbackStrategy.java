package io.sluice.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** How {@code rollback} returns to an earlier version. */
@RegisterForReflection
public enum RollbackStrategy {
    /** Run the {@code U} scripts newest first, then prove the schema equals the target version's snapshot. */
    UNDO,
    /**
     * Restore the RDS snapshot taken before the release to a new instance (the data as it was then, later writes not
     * included); the database in the event is left as it is.
     */
    SNAPSHOT;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RollbackStrategy parse(String text) {
        for (RollbackStrategy strategy : values()) {
            if (strategy.json().equals(text)) {
                return strategy;
            }
        }
        throw new InvalidRequest("field 'strategy' must be one of undo, snapshot, got '" + Echo.value(text) + "'");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
