package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The kinds of problem {@code validate} reports. */
@RegisterForReflection
public enum FindingCode {
    /** An applied script was edited after it ran: its checksum differs from the history's. */
    CHECKSUM_MISMATCH,
    /** An applied script was renamed: its description differs from the history's. */
    DESCRIPTION_MISMATCH,
    /** The history has a version that the scripts no longer have. */
    MISSING_LOCALLY,
    /** The history has versions newer than any script: an older release is being deployed. */
    DATABASE_AHEAD,
    /** The history records a failed migration; it must be cleaned up and the row removed first. */
    FAILED_MIGRATION,
    /** A pending script's version is below the current version; Flyway will not apply it. */
    OUT_OF_ORDER,
    /** A pending versioned script has no undo script. */
    UNDO_MISSING,
    /** An undo script whose versioned script does not exist. */
    ORPHAN_UNDO,
    /** A .sql file whose name matches none of Flyway's patterns: Flyway silently skips it. */
    UNRECOGNISED_NAME,
    /** No schema snapshot is recorded for the version to compare with. */
    NO_SNAPSHOT,
    /** The live schema differs from the snapshot of its version (see {@code differences}). */
    SCHEMA_MISMATCH,
    /** A contract file's table or column is missing, or a column has another type. */
    CONTRACT_VIOLATION,
    /** A table has a column its contract does not list. */
    CONTRACT_EXTRA_COLUMN,
    /** A pending script's undo script does not bring the schema back (see {@code reversibility}). */
    NOT_REVERSIBLE,
    /** A script that must run outside a transaction also holds other statements: it is not atomic. */
    NON_ATOMIC_SCRIPT,
    /** An index of the managed schema is INVALID (an interrupted or failed CREATE INDEX CONCURRENTLY): drop it. */
    INVALID_INDEX,
    /** A script's {@code -- sluice:batch} declaration cannot run: a bad header, or not one data statement with :lo and :hi. */
    BATCH_INVALID,
    /** A batched data migration has started and not finished: the next migrate resumes it. */
    BACKFILL_IN_PROGRESS,
    /** A contract script comes before a pending expand script: the release cannot run in phases. */
    PHASE_ORDER,
    /** A query of the running (or the new) application no longer prepares after the scripts its release runs first. */
    INCOMPATIBLE_QUERY,
    /**
     * An application's query plans worse after the release's scripts, with the live database's statistics: its cost
     * grew beyond {@code plans.maxCostRatio}, or it no longer plans. A warning; an error with {@code failOnRegression}.
     */
    PLAN_REGRESSION,
    /** The engine upgrade's target is not a newer major version than the server's. */
    UPGRADE_TARGET,
    /** Logical replication is off (or set and not applied): a Blue/Green deployment to a newer major version needs it. */
    LOGICAL_REPLICATION_OFF,
    /** Too few replication slots, WAL senders or workers for one logical replication subscription per database. */
    REPLICATION_CAPACITY,
    /** A table with neither a primary key nor REPLICA IDENTITY FULL: its updates and deletes do not replicate. */
    NO_REPLICA_IDENTITY,
    /** An unlogged table: logical replication does not copy it. */
    UNLOGGED_TABLE,
    /** Large objects: logical replication does not copy them. */
    LARGE_OBJECTS,
    /** A materialized view: green has it but does not refresh it; refresh it after the switchover. */
    MATERIALIZED_VIEW,
    /** An extension below its newest installed version: update it before the upgrade. */
    EXTENSION_OUTDATED,
    /**
     * The instance's master password is managed by RDS in Secrets Manager, which Blue/Green deployments do not support:
     * RDS refuses to create one.
     */
    MANAGED_MASTER_PASSWORD,
    /**
     * The instance runs another major version than the deployment's Terraform declares ({@code database_engine_version}):
     * the module was not changed after the last switchover, and its next plan proposes a downgrade.
     */
    MODULE_VERSION_MISMATCH,
    /**
     * The master secret rotates within the upgrade's window: logical replication does not carry a password change to
     * green, so after the switchover the secret and the database would disagree.
     */
    ROTATION_DUE,
    /** Green's schema is not blue's: an object missing, added or different on green (with the SQL that makes it blue's). */
    GREEN_SCHEMA_DIFFERS,
    /** An application's query plans worse on green than on blue, each with its own data and statistics. */
    GREEN_PLAN_REGRESSION,
    /** A canary probe fails on green. */
    GREEN_PROBE_FAILED,
    /** The canary probes' p95 on green is beyond the allowed factor of blue's (a warning; an error without acceptance). */
    GREEN_PROBE_SLOWER,
    /** A database parameter rule that green's real settings fail. */
    GREEN_SETTING,
    /** The checked-in schema file does not describe the schema the history produces (preflight's {@code schemaFile}). */
    SCHEMA_FILE_DIFFERS,
    /** parity: the other database's schema differs from the reference's. */
    PARITY_SCHEMA,
    /** parity: a setting a config rule reads differs (a warning; an error when the rule's outcome differs). */
    PARITY_SETTING,
    /** parity: the histories differ: a version applied on one only, a checksum, a failed script. */
    PARITY_HISTORY
}
