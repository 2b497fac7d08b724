package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code sluice info} asks: Flyway's {@code info} of one database's history against a folder of scripts.
 *
 * @param deploymentId correlation id; generated when absent
 * @param database     the database whose history is read (required)
 * @param migrations   where the scripts are; {@code classpath:db/migration} when absent
 * @param schema       the schema Flyway manages and keeps its history in; {@code public} when absent
 */
@RegisterForReflection
public record InfoRequest(DeploymentId deploymentId, DatabaseTarget database, MigrationSource migrations, SchemaName schema)
        implements Request, WithMigrations {

    public InfoRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        migrations = migrations == null ? MigrationSource.DEFAULT : migrations;
        schema = schema == null ? SchemaName.PUBLIC : schema;
    }

    @Override
    public InfoRequest withDatabase(DatabaseTarget replacement) {
        return new InfoRequest(deploymentId, replacement, migrations, schema);
    }

    @Override
    public InfoRequest withMigrations(MigrationSource replacement) {
        return new InfoRequest(deploymentId, database, replacement, schema);
    }
}
