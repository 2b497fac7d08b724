package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One script that a migration would apply, in the order it would apply it.
 *
 * @param version       the version, or null for a repeatable script
 * @param description   as Flyway derives it from the file name
 * @param script        path of the script relative to its location
 * @param checksum      Flyway's checksum of the script
 * @param transactional whether it runs in a transaction; false for scripts holding statements PostgreSQL refuses
 *                      inside one ({@code CREATE INDEX CONCURRENTLY}, ...)
 * @param undoScript    the matching {@code U} script, or null when there is none (or the script is repeatable)
 * @param backfill      for a batched data migration ({@code -- sluice:batch}): its table, batch size and estimate
 * @param phase         {@code expand} or {@code contract} ({@code -- sluice:phase}); a repeatable script runs with the
 *                      expand phase
 */
@RegisterForReflection
public record PlannedScript(
        String version,
        String description,
        String script,
        int checksum,
        boolean transactional,
        String undoScript,
        @JsonInclude(JsonInclude.Include.NON_NULL) BackfillPlan backfill,
        Phase phase) {

    /** This script as a batched one. */
    public PlannedScript withBackfill(BackfillPlan plan) {
        return new PlannedScript(version, description, script, checksum, transactional, undoScript, plan, phase);
    }

    @JsonIgnore
    public boolean isContract() {
        return phase == Phase.CONTRACT;
    }
}
