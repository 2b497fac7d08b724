package io.sluice.command;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.sluice.backfill.Backfills;
import io.sluice.error.ValidationFailed;
import io.sluice.event.Finding.Severity;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.LintReport;
import io.sluice.event.PlannedScript;
import io.sluice.event.PlansReport;
import io.sluice.event.PreflightRequest;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaName;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ValidateReport;
import io.sluice.lint.Linter;
import io.sluice.lint.LockEvidence;
import io.sluice.migration.Phases;
import io.sluice.migration.PreflightInspector;
import io.sluice.migration.Script;
import io.sluice.plan.PlanCheck;
import io.sluice.schemafile.SchemaExport;
import io.sluice.scratch.CompatibilityProof;
import io.sluice.scratch.LockProbe;
import io.sluice.scratch.ReversibilityProver;

/**
 * {@code validate} mode {@code preflight}: history against scripts, INVALID indexes, undo scripts, the order of the
 * phases, lint of every pending script; on request the reversibility proof, the lock probe, the compatibility proof
 * of the application's queries and the comparison of their plans with the live statistics, all in scratch databases.
 */
final class PreflightCommand {

    static final String NOT_ASKED = "not asked: the event has no plans object";

    private final UndoPolicy defaultUndoPolicy;
    private final ReversibilityProver prover;
    private final LockProbe lockProbe;
    private final Linter linter;
    private final SchemaName stateSchema;
    private final CompatibilityProof compatibilityProof;
    private final PlanCheck planCheck;
    private final SchemaExport schemaFiles;

    PreflightCommand(UndoPolicy defaultUndoPolicy, ReversibilityProver prover, LockProbe lockProbe, CompatibilityProof compatibilityProof,
            PlanCheck planCheck, Linter linter, SchemaName stateSchema, SchemaExport schemaFiles) {
        this.schemaFiles = schemaFiles;
        this.stateSchema = stateSchema;
        this.compatibilityProof = compatibilityProof;
        this.planCheck = planCheck;
        this.defaultUndoPolicy = defaultUndoPolicy;
        this.prover = prover;
        this.lockProbe = lockProbe;
        this.linter = linter;
    }

    ValidateReport run(PreflightRequest request, Validation validation) throws SQLException {
        UndoPolicy undoPolicy = request.undoPolicy() != null ? request.undoPolicy() : defaultUndoPolicy;
        List<Finding> findings = new ArrayList<>(
                InvalidIndexFindings.of(validation.connection(), request.schema(), validation.currentVersion()));
        findings.addAll(PreflightInspector.inspect(validation.info(), validation.scripts(), undoPolicy));
        Phases.misorder(validation.pending()).ifPresent(misorder -> findings.add(Finding.of(Severity.ERROR, FindingCode.PHASE_ORDER,
                misorder.expand().version(), misorder.expand().script(), misorder.message())));
        List<ReversibilityCheck> reversibility = null;
        if (request.isProveReversible()) {
            reversibility = prover.prove(request, validation.scripts(), validation.currentVersion(), validation.pending());
            for (ReversibilityCheck check : reversibility) {
                if (Boolean.FALSE.equals(check.reversible())) {
                    findings.add(0, Finding.of(Severity.ERROR, FindingCode.NOT_REVERSIBLE, null, check.script(), check.message()));
                }
            }
        }
        List<Script> pendingScripts = validation.pending().stream()
                .map(script -> validation.scripts().find(script.script()).orElseThrow()).toList();
        List<Script> applied = validation.scripts().ofKind(Script.Kind.VERSIONED).stream()
                .filter(script -> !pendingScripts.contains(script)).toList();
        // The release is what may run: its versioned and repeatable scripts, and the undo scripts a rollback of it runs
        // (newest first, as a rollback does), so an undo script cannot do unapproved what the release itself could not.
        List<Script> release = new ArrayList<>(pendingScripts);
        pendingScripts.stream().filter(script -> script.kind() == Script.Kind.VERSIONED)
                .map(script -> validation.scripts().undoFor(script.version())).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Script::version).reversed()).forEach(release::add);
        LintReport lint = linter.lint(applied, release, validation.scripts()::isTransactional);
        if (request.isProbeLocks()) {
            lint = LockEvidence.annotate(lint, lockProbe.probe(request, validation.scripts(), validation.currentVersion(),
                    validation.pending()), linter.rules());
        }
        List<PlannedScript> pending = validation.pending();
        try {
            pending = Backfills.estimated(validation.connection(), request.schema(), stateSchema, pending, validation.scripts());
        } catch (ValidationFailed e) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.BATCH_INVALID, null, null, e.getMessage()));
        }
        for (PlannedScript script : pending) {
            if (script.backfill() != null && script.backfill().rowsDone() > 0) {
                findings.add(Finding.of(Severity.WARNING, FindingCode.BACKFILL_IN_PROGRESS, script.version(), script.script(),
                        "its batches have started and not finished: " + script.backfill().rowsDone() + " rows done; the next migrate"
                                + " resumes after the last committed batch, and the version counts as applied when its last batch"
                                + " commits"));
            }
        }
        CompatibilityProof.Outcome compatibility = null;
        if (request.compatibility() != null) {
            compatibility = compatibilityProof.prove(request, validation.connection(), validation.scripts(), validation.currentVersion(),
                    validation.pending());
            findings.addAll(0, compatibility.findings());
        }
        PlanCheck.Outcome plans = null;
        if (request.plans() != null) {
            plans = planCheck.check(request, validation.connection(), validation.scripts(), validation.currentVersion(), validation.pending());
            // Errors first, as the report promises: with failOnRegression the regressions are errors.
            findings.addAll(request.plans().isFailOnRegression() ? 0 : findings.size(), plans.findings());
        }
        SchemaExport.Checked schemaFile = null;
        if (request.schemaFile() != null) {
            schemaFile = schemaFiles.check(request, request.schemaFile(), validation.scripts(), request.schema());
            findings.addAll(0, schemaFile.findings());
        }
        ValidateReport report = ValidateReport.of(request, Finding.noErrors(findings) && lint.errors() == 0,
                validation.currentVersion(), pending, findings).withLint(lint);
        report = reversibility == null ? report : report.withReversibility(reversibility);
        report = compatibility == null ? report : report.withCompatibility(compatibility.report());
        // Always there, so that the pipeline can carry it to the approvers whether or not the input asked for it.
        report = schemaFile == null ? report : report.withSchemaFile(schemaFile.report());
        return report.withPlans(plans == null ? PlansReport.skipped(NOT_ASKED, List.of()) : plans.report());
    }
}
