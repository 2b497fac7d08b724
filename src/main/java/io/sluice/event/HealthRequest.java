package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The {@code health} event: the health of one database, as MicroProfile Health's document.
 *
 * @param deploymentId       correlation id; generated when absent
 * @param database           the database to check (required)
 * @param schema             the schema Flyway manages; {@code public} when absent
 * @param maxConnectionShare the share of the connections ordinary roles may open above which the database is not
 *                           ready (default 0.9; above 0, at most 1)
 */
@RegisterForReflection
public record HealthRequest(DeploymentId deploymentId, DatabaseTarget database, SchemaName schema, Double maxConnectionShare)
        implements Request {

    public static final double DEFAULT_MAX_CONNECTION_SHARE = 0.9;

    public HealthRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        schema = schema == null ? SchemaName.PUBLIC : schema;
        if (maxConnectionShare != null && !(maxConnectionShare > 0 && maxConnectionShare <= 1)) {
            throw new InvalidRequest("field 'maxConnectionShare' must be above 0 and at most 1 (a share of max_connections)");
        }
        maxConnectionShare = maxConnectionShare == null ? DEFAULT_MAX_CONNECTION_SHARE : maxConnectionShare;
    }

    @Override
    public HealthRequest withDatabase(DatabaseTarget replacement) {
        return new HealthRequest(deploymentId, replacement, schema, maxConnectionShare);
    }
}
