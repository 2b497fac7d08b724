package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code validate} in mode {@code post-migrate}: the live schema against the snapshot of its version.
 *
 * @param contract a contract file of expected tables, columns and types
 */
@RegisterForReflection
public record PostMigrateRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        FileLocation contract,
        Boolean failOnInvalid,
        DatabaseTarget scratch) implements ValidateRequest, WithScratch {

    public PostMigrateRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.POST_MIGRATE;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    @Override
    public PostMigrateRequest withDatabase(DatabaseTarget replacement) {
        return new PostMigrateRequest(deploymentId, replacement, migrations, schema, contract, failOnInvalid, scratch);
    }

    @Override
    public PostMigrateRequest withMigrations(MigrationSource replacement) {
        return new PostMigrateRequest(deploymentId, database, replacement, schema, contract, failOnInvalid, scratch);
    }

    /** Without a scratch server of its own. */
    public PostMigrateRequest(DeploymentId deploymentId, DatabaseTarget database, MigrationSource migrations, SchemaName schema, FileLocation contract, Boolean failOnInvalid) {
        this(deploymentId, database, migrations, schema, contract, failOnInvalid, null);
    }

    @Override
    public PostMigrateRequest withScratch(DatabaseTarget replacement) {
        return new PostMigrateRequest(deploymentId, database, migrations, schema, contract, failOnInvalid, replacement);
    }
}
