package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One script a migration applied.
 *
 * @param version       the version, or null for a repeatable script
 * @param description   as Flyway derives it from the file name
 * @param script        path of the script relative to its location
 * @param transactional whether it ran in a transaction
 * @param executionMs   how long it ran, as Flyway recorded it in its history
 */
@RegisterForReflection
public record AppliedScript(String version, String description, String script, boolean transactional, long executionMs) {
}
