package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code validate} in mode {@code preflight}, before migrating.
 *
 * @param undoPolicy      how a pending script without undo script counts; configuration default when absent
 * @param proveReversible apply, undo and re-apply every pending script in a scratch database
 * @param probeLocks      measure each pending statement's locks and rewrites in a scratch database
 * @param compatibility   the application's queries to prove still prepare on the schema the release leaves
 * @param plans           the application's queries to plan before and after the release, with the live statistics
 * @param scratch         the server scratch databases are built on ({@link WithScratch}); the live one's when absent
 * @param schemaFile      a checked-in schema file ({@code filesystem:db/schema.sql}) that must describe the schema the
 *                        release leaves: the history with every pending script, built in a scratch database
 */
@RegisterForReflection
public record PreflightRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        UndoPolicy undoPolicy,
        Boolean proveReversible,
        Boolean probeLocks,
        Boolean failOnInvalid,
        CompatibilityRequest compatibility,
        PlansRequest plans,
        DatabaseTarget scratch,
        FileLocation schemaFile) implements ValidateRequest, WithScratch {

    public PreflightRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        proveReversible = Boolean.TRUE.equals(proveReversible);
        probeLocks = Boolean.TRUE.equals(probeLocks);
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    /** Without a schema file to check. */
    public PreflightRequest(DeploymentId deploymentId, DatabaseTarget database, MigrationSource migrations, SchemaName schema,
            UndoPolicy undoPolicy, Boolean proveReversible, Boolean probeLocks, Boolean failOnInvalid, CompatibilityRequest compatibility,
            PlansRequest plans, DatabaseTarget scratch) {
        this(deploymentId, database, migrations, schema, undoPolicy, proveReversible, probeLocks, failOnInvalid, compatibility, plans,
                scratch, null);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.PREFLIGHT;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    public boolean isProveReversible() {
        return proveReversible;
    }

    public boolean isProbeLocks() {
        return probeLocks;
    }

    @Override
    public PreflightRequest withDatabase(DatabaseTarget replacement) {
        return new PreflightRequest(deploymentId, replacement, migrations, schema, undoPolicy, proveReversible, probeLocks, failOnInvalid, compatibility, plans, scratch, schemaFile);
    }

    @Override
    public PreflightRequest withMigrations(MigrationSource replacement) {
        return new PreflightRequest(deploymentId, database, replacement, schema, undoPolicy, proveReversible, probeLocks, failOnInvalid, compatibility, plans, scratch, schemaFile);
    }

    @Override
    public PreflightRequest withScratch(DatabaseTarget replacement) {
        return new PreflightRequest(deploymentId, database, migrations, schema, undoPolicy, proveReversible, probeLocks, failOnInvalid,
                compatibility, plans, replacement, schemaFile);
    }
}
