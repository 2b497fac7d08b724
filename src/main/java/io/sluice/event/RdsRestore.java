package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A restore of a pre-change RDS snapshot to a new instance (the {@code snapshot} rollback strategy). The workflow
 * waits for {@code instance} to become {@code available} and reads its endpoint; the application is pointed at it by
 * the operator (or the deploy job), the source instance is left untouched for inspection.
 *
 * @param sourceInstance  the instance the snapshot was taken of
 * @param snapshot        the snapshot restored
 * @param snapshotVersion the schema version the snapshot was taken at (its {@code sluice:version} tag), when tagged
 * @param instance        the new instance
 * @param status          the new instance's status as RDS reports it ({@code PLANNED} for a dry run)
 * @param endpoint        its address and port, once RDS reports one
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RdsRestore(String sourceInstance, String snapshot, String snapshotVersion, String instance, String status,
        String endpoint) {
}
