package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * {@code validate} in mode {@code export}: the schema as one normalized SQL file ({@code schema.sql}).
 *
 * @param version {@code latest} (default): the schema every versioned script produces, built in a scratch database; a
 *                version: the schema at it; {@code live}: the live database's schema as it is
 */
@RegisterForReflection
public record ExportRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        MigrationSource migrations,
        SchemaName schema,
        String version,
        Boolean failOnInvalid,
        DatabaseTarget scratch) implements ValidateRequest, WithScratch {

    public static final String LIVE = "live";

    public ExportRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
        version = version == null ? "latest" : version;
        if (!version.equals(LIVE) && !version.equals("latest") && !version.matches("\\d{1,18}([._]\\d{1,18}){0,8}")) {
            throw new InvalidRequest("field 'version' must be 'latest', 'live' or a version such as 12 or 1.2, not '" + Echo.value(version)
                    + "'");
        }
        failOnInvalid = Boolean.TRUE.equals(failOnInvalid);
    }

    /** Whether the live database's schema is exported, rather than one the history produces. */
    public boolean live() {
        return version.equals(LIVE);
    }

    /** The version the history is built to. */
    public TargetVersion target() {
        return TargetVersion.parse(version);
    }

    @Override
    public ValidateMode mode() {
        return ValidateMode.EXPORT;
    }

    @Override
    public boolean isFailOnInvalid() {
        return failOnInvalid;
    }

    @Override
    public ExportRequest withDatabase(DatabaseTarget replacement) {
        return new ExportRequest(deploymentId, replacement, migrations, schema, version, failOnInvalid, scratch);
    }

    @Override
    public ExportRequest withMigrations(MigrationSource replacement) {
        return new ExportRequest(deploymentId, database, replacement, schema, version, failOnInvalid, scratch);
    }

    @Override
    public ExportRequest withScratch(DatabaseTarget replacement) {
        return new ExportRequest(deploymentId, database, migrations, schema, version, failOnInvalid, replacement);
    }

}
