package io.sluice.event;

import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * {@code validate} in mode {@code upgrade-readiness}: whether the database (blue) can be upgraded to a newer major
 * version through an RDS Blue/Green deployment, which copies it to green with logical replication.
 *
 * @param targetEngineVersion the engine version green will run ({@code 18} or {@code 18.1}; required), a newer major
 *                            version than the server's
 * @param rdsInstance         blue's RDS instance, for what RDS says of it (its master password); absent: the database
 *                            alone is checked
 */
@RegisterForReflection
public record UpgradeReadinessRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        String targetEngineVersion,
        String rdsInstance,
        Boolean failOnInvalid) implements ValidateRequest {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){0,2}");

    public UpgradeReadinessRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        if (targetEngineVersion == null || !VERSION.matcher(targetEngineVersion).matches()) {
            throw new InvalidRequest("field 'targetEngineVersion' is required: the engine version green will run, e.g. 18 or 18.1, not '"
                    + Echo.value(targetEngineVersion) + "'");
        }
        if (rdsInstance != null && !rdsInstance.matches("[A-Za-z](?:-?[A-Za-z0-9]){0,62}")) {
            throw new InvalidRequest("field 'rdsInstance' must be an RDS instance identifier (a letter, then letters, digits and single"
                    + " hyphens, at most 63), not '" + Echo.value(rdsInstance) + "'");
        }
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    /** The target's major version. */
    public int targetMajor() {
        return Integer.parseInt(targetEngineVersion.split("\\.")[0]);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.UPGRADE_READINESS;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    @Override
    public UpgradeReadinessRequest withMigrations(MigrationSource replacement) {
        return new UpgradeReadinessRequest(deploymentId, database, replacement, schema, targetEngineVersion, rdsInstance, failOnInvalid);
    }

    @Override
    public UpgradeReadinessRequest withDatabase(DatabaseTarget replacement) {
        return new UpgradeReadinessRequest(deploymentId, replacement, migrations, schema, targetEngineVersion, rdsInstance, failOnInvalid);
    }
}
