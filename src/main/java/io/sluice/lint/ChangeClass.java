package io.sluice.lint;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How risky a change is, for approvals (the guide's approval rules: minor 1, major or schema 2, data 3; a
 * destructive change is production-critical, 3). Ordered from least to most risky.
 */
@RegisterForReflection
public enum ChangeClass {
    /** New objects, nullable columns, concurrent indexes: nothing existing changes. */
    MINOR,
    /** Existing objects change shape or take strong locks: types, renames, constraints, rewrites. */
    MAJOR,
    /** Rows are written: INSERT, UPDATE, DELETE, COPY, MERGE. */
    DATA,
    /** Something is dropped or emptied: tables, columns, schemas, TRUNCATE. */
    DESTRUCTIVE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
