package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The {@code rollback} event. Whether the workflow sends it after a failed step or an operator sends it by hand,
 * it names the version to return to and why.
 *
 * @param deploymentId  correlation id; generated when absent
 * @param database      the database to roll back (required)
 * @param migrations    where the scripts (and their undo scripts) are; {@code classpath:db/migration} when absent
 * @param schema        the schema Flyway manages; {@code public} when absent
 * @param strategy      {@code undo} (the default): run the undo scripts; {@code snapshot}: restore the RDS snapshot
 *                      taken before the release to a new instance
 * @param targetVersion the version to return to (required); {@code 0} means before the first migration
 * @param reason        why (required): recorded in the audit table
 * @param requestedBy   who asks: an operator's name, or the workflow execution
 * @param dryRun        return the plan, change nothing
 * @param lockTimeout   {@code lock_timeout} for every undo statement; configuration default when absent
 * @param prove         with {@code dryRun}: run the undo chain in a scratch database built from the scripts and say
 *                      where it would fail and whether it reaches the target's schema
 * @param rdsInstance   with {@code snapshot}: the RDS instance whose snapshot is restored (required)
 * @param rdsSnapshot   with {@code snapshot}: the snapshot to restore; the newest Sluice took for {@code deploymentId}
 *                      when absent
 * @param restoredInstance with {@code snapshot}: the new instance's identifier; {@code <rdsInstance>-restored-<epoch>}
 *                      when absent
 */
@RegisterForReflection
public record RollbackRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        RollbackStrategy strategy,
        TargetVersion targetVersion,
        String reason,
        String requestedBy,
        Boolean dryRun,
        Timeout lockTimeout,
        Boolean prove,
        String rdsInstance,
        String rdsSnapshot,
        String restoredInstance,
        DatabaseTarget scratch) implements Request, WithMigrations, WithScratch {

    /** RDS identifiers: a letter, then letters, digits and single hyphens, at most 63 (255 for snapshots). */
    private static final java.util.regex.Pattern INSTANCE = java.util.regex.Pattern.compile("[A-Za-z](-?[A-Za-z0-9])*");

    public RollbackRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        if (targetVersion == null || targetVersion.isLatest()) {
            throw new InvalidRequest("field 'targetVersion' is required: the version to return to, e.g. \"3\" (\"0\" = before"
                    + " the first migration)");
        }
        if (reason == null || reason.isBlank() || reason.length() > 2000 || reason.chars().anyMatch(RollbackRequest::notText)) {
            throw new InvalidRequest("field 'reason' is required: at most 2000 characters, no control characters but line breaks"
                    + " and tabs; it goes into the rollback audit");
        }
        if (requestedBy != null && (requestedBy.isBlank() || requestedBy.length() > 200
                || requestedBy.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidRequest("field 'requestedBy' must be 1-200 characters without control characters");
        }
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        strategy = strategy == null ? RollbackStrategy.UNDO : strategy;
        requestedBy = requestedBy == null ? "unspecified" : requestedBy;
        dryRun = Boolean.TRUE.equals(dryRun);
        if (Boolean.TRUE.equals(prove) && !dryRun) {
            throw new InvalidRequest("field 'prove' goes with dryRun: true (it runs the undo chain in a scratch database to show"
                    + " where it would fail)");
        }
        prove = Boolean.TRUE.equals(prove);
        if (strategy == RollbackStrategy.SNAPSHOT) {
            if (prove) {
                throw new InvalidRequest("field 'prove' goes with the undo strategy: a snapshot restore has no undo chain to prove");
            }
            if (rdsInstance == null) {
                throw new InvalidRequest("field 'rdsInstance' is required with strategy snapshot: the RDS instance whose"
                        + " pre-change snapshot is restored");
            }
            identifier("rdsInstance", rdsInstance, 63);
            if (rdsSnapshot != null) {
                identifier("rdsSnapshot", rdsSnapshot, 255);
            }
            if (restoredInstance != null) {
                identifier("restoredInstance", restoredInstance, 63);
            }
        } else {
            String stray = rdsInstance != null ? "rdsInstance" : rdsSnapshot != null ? "rdsSnapshot" : restoredInstance != null
                    ? "restoredInstance" : null;
            if (stray != null) {
                throw new InvalidRequest("field '" + stray + "' goes with strategy snapshot; this rollback runs the undo scripts");
            }
        }
    }

    /** The same rollback by the undo scripts (the constructor operators' tools and the tests use). */
    public RollbackRequest(DeploymentId deploymentId, DatabaseTarget database, MigrationSource migrations, SchemaName schema,
            RollbackStrategy strategy, TargetVersion targetVersion, String reason, String requestedBy, Boolean dryRun,
            Timeout lockTimeout, Boolean prove) {
        this(deploymentId, database, migrations, schema, strategy, targetVersion, reason, requestedBy, dryRun, lockTimeout, prove,
                null, null, null, null);
    }

    private static void identifier(String field, String value, int max) {
        if (value.length() > max || !INSTANCE.matcher(value).matches()) {
            throw new InvalidRequest("field '" + field + "' holds '" + io.sluice.error.Echo.value(value) + "': an RDS identifier"
                    + " is a letter, then letters, digits and single hyphens, at most " + max + " characters");
        }
    }

    /** Control characters other than line breaks and tabs (NUL among them) have no place in an audit record. */
    private static boolean notText(int c) {
        return Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t';
    }

    public boolean isProve() {
        return prove;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public RollbackRequest withDatabase(DatabaseTarget replacement) {
        return new RollbackRequest(deploymentId, replacement, migrations, schema,
                strategy, targetVersion, reason, requestedBy, dryRun, lockTimeout, prove, rdsInstance, rdsSnapshot, restoredInstance, scratch);
    }

    @Override
    public RollbackRequest withMigrations(MigrationSource replacement) {
        return new RollbackRequest(deploymentId, database, replacement, schema,
                strategy, targetVersion, reason, requestedBy, dryRun, lockTimeout, prove, rdsInstance, rdsSnapshot, restoredInstance, scratch);
    }

    @Override
    public RollbackRequest withScratch(DatabaseTarget replacement) {
        return new RollbackRequest(deploymentId, database, migrations, schema, strategy, targetVersion, reason, requestedBy, dryRun,
                lockTimeout, prove, rdsInstance, rdsSnapshot, restoredInstance, replacement);
    }
}
