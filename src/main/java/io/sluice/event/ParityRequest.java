package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * {@code validate} in mode {@code parity}: two environments' databases compared, e.g. staging ({@code other}) with
 * production ({@code database}, the reference): their schemas, the settings the config rules read, their histories.
 *
 * @param other the database compared with {@code database} (required; a secret deployed, as {@code database})
 */
@RegisterForReflection
public record ParityRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        DatabaseTarget other,
        MigrationSource migrations,
        SchemaName schema,
        Boolean failOnInvalid) implements ValidateRequest, WithOtherDatabase {

    public ParityRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        if (other == null) {
            throw new InvalidRequest("field 'other' is required: the database compared with 'database' (a 'database' object)");
        }
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.PARITY;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    @Override
    public ParityRequest withDatabase(DatabaseTarget replacement) {
        return new ParityRequest(deploymentId, replacement, other, migrations, schema, failOnInvalid);
    }

    @Override
    public ParityRequest withMigrations(MigrationSource replacement) {
        return new ParityRequest(deploymentId, database, other, replacement, schema, failOnInvalid);
    }

    @Override
    public ParityRequest withOther(DatabaseTarget replacement) {
        return new ParityRequest(deploymentId, database, replacement, migrations, schema, failOnInvalid);
    }
}
