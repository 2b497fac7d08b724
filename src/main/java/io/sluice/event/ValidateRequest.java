package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The {@code validate} event.
 *
 * @param deploymentId  correlation id; generated when absent
 * @param mode          what to check (required)
 * @param database      the database to check (required)
 * @param migrations    where the scripts are; {@code classpath:db/migration} when absent
 * @param schema        the schema holding the Flyway history; {@code public} when absent
 * @param undoPolicy    how a pending script without undo script counts; configuration default when absent
 * @param failOnInvalid raise {@code ValidationFailed} instead of returning {@code valid: false}
 */
@RegisterForReflection
public record ValidateRequest(
        DeploymentId deploymentId,
        ValidateMode mode,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        UndoPolicy undoPolicy,
        Boolean failOnInvalid) {

    public ValidateRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        if (mode == null) {
            throw new InvalidRequest("field 'mode' is required: preflight");
        }
        if (database == null) {
            throw new InvalidRequest("field 'database' is required: {\"jdbcUrl\": ..., \"username\": ..., \"password\": ...}");
        }
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }
}
