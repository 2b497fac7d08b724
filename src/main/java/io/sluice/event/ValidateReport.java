package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code validate}, written by the workflow to {@code $.results.validate}.
 *
 * @param deploymentId   the event's correlation id
 * @param mode           the mode that ran
 * @param valid          true when no finding has severity {@code ERROR}
 * @param database       the database URL without options or credentials
 * @param schema         the schema holding the Flyway history
 * @param currentVersion the schema version now; null for an empty history
 * @param pending        the scripts a migrate to latest would apply, in order
 * @param findings       everything noticed, errors first
 */
@RegisterForReflection
public record ValidateReport(
        DeploymentId deploymentId,
        ValidateMode mode,
        boolean valid,
        String database,
        String schema,
        String currentVersion,
        List<PlannedScript> pending,
        List<Finding> findings) {

    public ValidateReport {
        pending = List.copyOf(pending);
        findings = List.copyOf(findings);
    }
}
