package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code validate}, written by the workflow to {@code $.results.validate}. The fields after
 * {@code findings} belong to particular modes and are absent from the others.
 *
 * @param deploymentId    the event's correlation id
 * @param mode            the mode that ran
 * @param valid           true when no finding, difference, setting check or lint finding is an error
 * @param database        the database URL without options or credentials
 * @param schema          the schema holding the Flyway history
 * @param currentVersion  the schema version now; null for an empty history
 * @param pending         the scripts a migrate to latest would apply, in order
 * @param findings        everything noticed, errors first
 * @param snapshotVersion post-migrate, drift: the version whose recorded snapshot the live schema was compared with
 * @param snapshotSha256  post-migrate, drift: that snapshot's SHA-256
 * @param snapshotRebuilt post-migrate, drift: whether the snapshot was rebuilt from the scripts (none was recorded)
 * @param drift           drift: whether the live schema differs from the snapshot
 * @param differences     post-migrate, drift: each difference, with the SQL that reconciles it
 * @param reconcileScript post-migrate, drift: all reconcile statements in the order to run them
 * @param settings        config: every rule checked
 * @param reversibility   preflight with proveReversible: one entry per pending versioned script
 * @param lint            preflight: lint of every pending script, with the change class and approvals it needs
 * @param compatibility   preflight with {@code compatibility}: which of the application's queries the release breaks
 * @param plans           preflight with {@code plans}: the application's queries planned before and after the release
 * @param schemaFile      export: the schema file; preflight with {@code schemaFile}: the checked-in file against the history
 * @param parity          parity: how the other database differs from this one
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
        List<Finding> findings,
        @JsonInclude(JsonInclude.Include.NON_NULL) String snapshotVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) String snapshotSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean snapshotRebuilt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean drift,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<SchemaDifference> differences,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reconcileScript,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<SettingCheck> settings,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<ReversibilityCheck> reversibility,
        @JsonInclude(JsonInclude.Include.NON_NULL) LintReport lint,
        @JsonInclude(JsonInclude.Include.NON_NULL) CompatibilityReport compatibility,
        @JsonInclude(JsonInclude.Include.NON_NULL) PlansReport plans,
        @JsonInclude(JsonInclude.Include.NON_NULL) SchemaFileReport schemaFile,
        @JsonInclude(JsonInclude.Include.NON_NULL) ParityReport parity) {

    public ValidateReport {
        pending = List.copyOf(pending);
        findings = List.copyOf(findings);
    }

    /** A report with only the common fields; modes add theirs with the {@code with...} methods. */
    public static ValidateReport of(ValidateRequest request, boolean valid, String currentVersion, List<PlannedScript> pending,
            List<Finding> findings) {
        return new ValidateReport(request.deploymentId(), request.mode(), valid, request.database().displayUrl(),
                request.schema().value(), currentVersion, pending, findings, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ValidateReport withComparison(String version, String sha256, Boolean rebuilt, Boolean drift,
            List<SchemaDifference> differences, String reconcileScript) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings, version, sha256,
                rebuilt, drift, differences, reconcileScript, settings, reversibility, lint, compatibility, plans, schemaFile, parity);
    }

    public ValidateReport withSettings(List<SettingCheck> checks) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings, snapshotVersion,
                snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, checks, reversibility, lint, compatibility, plans, schemaFile, parity);
    }

    public ValidateReport withReversibility(List<ReversibilityCheck> checks) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings, snapshotVersion,
                snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, checks, lint, compatibility, plans, schemaFile, parity);
    }

    public ValidateReport withLint(LintReport report) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings, snapshotVersion,
                snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, reversibility, report, compatibility, plans, schemaFile, parity);
    }

    public ValidateReport withCompatibility(CompatibilityReport report) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings,
                snapshotVersion, snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, reversibility, lint,
                report, plans, schemaFile, parity);
    }

    public ValidateReport withSchemaFile(SchemaFileReport report) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings,
                snapshotVersion, snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, reversibility, lint,
                compatibility, plans, report, parity);
    }

    public ValidateReport withParity(ParityReport report) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings,
                snapshotVersion, snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, reversibility, lint,
                compatibility, plans, schemaFile, report);
    }

    public ValidateReport withPlans(PlansReport report) {
        return new ValidateReport(deploymentId, mode, valid, database, schema, currentVersion, pending, findings,
                snapshotVersion, snapshotSha256, snapshotRebuilt, drift, differences, reconcileScript, settings, reversibility, lint,
                compatibility, report, schemaFile, parity);
    }
}
