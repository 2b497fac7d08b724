package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A schema as a file: exported ({@code export}), or a checked-in file compared with the schema the history produces
 * (preflight's {@code schemaFile}).
 *
 * @param source          what the schema is: {@code history} (built from the scripts), {@code live}, or the file's location
 * @param version         the version the history was built to; null for the live database or an empty history
 * @param objects         the objects in the schema
 * @param sha256          the SHA-256 of {@code sql}
 * @param sql             export: the file; check: the file as the history's schema writes it (what the checked-in one
 *                        should say)
 * @param equal           check: whether the checked-in file describes the history's schema
 * @param differences     check: how the file's schema differs from the history's (the history is the expected side)
 * @param reconcileScript check: the SQL that brings the file's schema to the history's
 * @param buildMs         the history's scratch build
 * @param fileMs          check: the file run in a scratch database
 * @param readMs          the catalog reads
 */
@RegisterForReflection
public record SchemaFileReport(
        String source,
        String version,
        int objects,
        String sha256,
        String sql,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean equal,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<SchemaDifference> differences,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reconcileScript,
        long buildMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long fileMs,
        long readMs) {
}
