package io.sluice.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
    CONFIG,
    /** Before an engine upgrade through RDS Blue/Green: what logical replication to a newer major version needs. */
    UPGRADE_READINESS,
    /** The schema as one normalized SQL file: the history's at a version, or the live database's. */
    EXPORT,
    /** Two databases (environments) compared: schema, settings, history. */
    PARITY;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
