package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The {@code migrate} event.
 *
 * @param deploymentId     correlation id; generated when absent
 * @param database         where to migrate (required)
 * @param migrations       where the scripts are; {@code classpath:db/migration} when absent
 * @param schema           the schema Flyway manages and keeps its history in; {@code public} when absent
 * @param target           {@code latest} (default) or the version to stop at
 * @param dryRun           return the plan and change nothing
 * @param lockTimeout      {@code lock_timeout} for every migration statement; configuration default when absent
 * @param statementTimeout {@code statement_timeout} for every migration statement; configuration default when absent
 * @param baselineVersion  adopt a database that has objects but no history: record this version as applied (with a
 *                         snapshot of the schema as it is) and migrate from there
 * @param rdsSnapshot      the RDS DB instance identifier to snapshot before the first change (only when scripts are
 *                         pending); absent: no snapshot
 */
@RegisterForReflection
public record MigrateRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        TargetVersion target,
        Boolean dryRun,
        Timeout lockTimeout,
        Timeout statementTimeout,
        TargetVersion baselineVersion,
        String rdsSnapshot,
        MigratePhase phase) implements Request, WithMigrations {

    private static final java.util.regex.Pattern INSTANCE = java.util.regex.Pattern.compile("[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)");

    public MigrateRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        target = target == null ? TargetVersion.LATEST : target;
        dryRun = Boolean.TRUE.equals(dryRun);
        phase = phase == null ? MigratePhase.EXPAND : phase;
        if (baselineVersion != null && baselineVersion.isLatest()) {
            throw new InvalidRequest("field 'baselineVersion' must be a version such as 3 or \"1.2\": the version the existing"
                    + " schema stands for");
        }
        if (rdsSnapshot != null && !INSTANCE.matcher(rdsSnapshot).matches()) {
            throw new InvalidRequest("field 'rdsSnapshot' must be an RDS DB instance identifier (a letter, then letters, digits and"
                    + " single hyphens, at most 63), not '" + Echo.value(rdsSnapshot) + "'");
        }
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @Override
    public MigrateRequest withDatabase(DatabaseTarget replacement) {
        return new MigrateRequest(deploymentId, replacement, migrations, schema,
                target, dryRun, lockTimeout, statementTimeout, baselineVersion, rdsSnapshot, phase);
    }

    @Override
    public MigrateRequest withMigrations(MigrationSource replacement) {
        return new MigrateRequest(deploymentId, database, replacement, schema,
                target, dryRun, lockTimeout, statementTimeout, baselineVersion, rdsSnapshot, phase);
    }
}
