package io.sluice.event;

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
 */
@RegisterForReflection
public record PlannedScript(
        String version,
        String description,
        String script,
        int checksum,
        boolean transactional,
        String undoScript) {
}
