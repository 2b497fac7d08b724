package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code validate} in mode {@code drift}, on a schedule: the live schema against the snapshot of the last deployment.
 *
 * @param failOnDrift raise {@code DriftDetected} instead of returning {@code drift: true}
 */
@RegisterForReflection
public record DriftRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        Boolean failOnDrift,
        Boolean failOnInvalid,
        DatabaseTarget scratch) implements ValidateRequest, WithScratch {

    public DriftRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        failOnDrift = Boolean.TRUE.equals(failOnDrift);
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.DRIFT;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    public boolean isFailOnDrift() {
        return failOnDrift;
    }

    @Override
    public DriftRequest withDatabase(DatabaseTarget replacement) {
        return new DriftRequest(deploymentId, replacement, migrations, schema, failOnDrift, failOnInvalid, scratch);
    }

    @Override
    public DriftRequest withMigrations(MigrationSource replacement) {
        return new DriftRequest(deploymentId, database, replacement, schema, failOnDrift, failOnInvalid, scratch);
    }

    /** Without a scratch server of its own. */
    public DriftRequest(DeploymentId deploymentId, DatabaseTarget database, MigrationSource migrations, SchemaName schema, Boolean failOnDrift, Boolean failOnInvalid) {
        this(deploymentId, database, migrations, schema, failOnDrift, failOnInvalid, null);
    }

    @Override
    public DriftRequest withScratch(DatabaseTarget replacement) {
        return new DriftRequest(deploymentId, database, migrations, schema, failOnDrift, failOnInvalid, replacement);
    }
}
