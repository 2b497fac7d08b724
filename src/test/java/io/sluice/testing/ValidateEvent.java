package io.sluice.testing;

import java.util.List;

import io.sluice.event.CompatibilityRequest;
import io.sluice.event.ConfigCheckRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.DriftRequest;
import io.sluice.event.ExportRequest;
import io.sluice.event.FileLocation;
import io.sluice.event.ParityRequest;
import io.sluice.event.MigrationSource;
import io.sluice.event.PlansRequest;
import io.sluice.event.PostMigrateRequest;
import io.sluice.event.PreflightRequest;
import io.sluice.event.UndoPolicy;
import io.sluice.event.UpgradeReadinessRequest;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateRequest;

/** Builds validate events for tests by name, field by field, instead of positional nulls. */
public final class ValidateEvent {

    private final DatabaseTarget database;
    private MigrationSource migrations;
    private UndoPolicy undoPolicy;
    private Boolean proveReversible;
    private Boolean probeLocks;
    private FileLocation contract;
    private Boolean failOnDrift;
    private List<String> requiredExtensions;
    private Integer instanceMemoryMb;
    private Boolean failOnInvalid;
    private CompatibilityRequest compatibility;
    private PlansRequest plans;
    private DatabaseTarget scratch;
    private FileLocation schemaFile;
    private String version;

    private ValidateEvent(DatabaseTarget database) {
        this.database = database;
    }

    public static ValidateEvent against(DatabaseTarget database) {
        return new ValidateEvent(database);
    }

    public ValidateEvent migrations(MigrationSource value) {
        migrations = value;
        return this;
    }

    public ValidateEvent undoPolicy(UndoPolicy value) {
        undoPolicy = value;
        return this;
    }

    public ValidateEvent proveReversible() {
        proveReversible = true;
        return this;
    }

    public ValidateEvent probeLocks() {
        probeLocks = true;
        return this;
    }

    public ValidateEvent contract(FileLocation value) {
        contract = value;
        return this;
    }

    public ValidateEvent failOnDrift(Boolean value) {
        failOnDrift = value;
        return this;
    }

    public ValidateEvent requiredExtensions(List<String> value) {
        requiredExtensions = value;
        return this;
    }

    public ValidateEvent instanceMemoryMb(int value) {
        instanceMemoryMb = value;
        return this;
    }

    public ValidateEvent failOnInvalid(Boolean value) {
        failOnInvalid = value;
        return this;
    }

    public ValidateEvent scratch(DatabaseTarget value) {
        scratch = value;
        return this;
    }

    public ValidateEvent compatibility(CompatibilityRequest value) {
        compatibility = value;
        return this;
    }

    public ValidateEvent plans(PlansRequest value) {
        plans = value;
        return this;
    }

    public ValidateEvent schemaFile(FileLocation value) {
        schemaFile = value;
        return this;
    }

    /** The version {@code export} writes: latest, live or a version. */
    public ValidateEvent version(String value) {
        version = value;
        return this;
    }

    public PreflightRequest preflight() {
        return new PreflightRequest(null, database, migrations, null, undoPolicy, proveReversible, probeLocks, failOnInvalid,
                compatibility, plans, scratch, schemaFile);
    }

    public ExportRequest export() {
        return new ExportRequest(null, database, migrations, null, version, failOnInvalid, scratch);
    }

    /** {@code parity} of this database (the reference) and {@code other}. */
    public ParityRequest parity(DatabaseTarget other) {
        return new ParityRequest(null, database, other, migrations, null, failOnInvalid);
    }

    public PostMigrateRequest postMigrate() {
        return new PostMigrateRequest(null, database, migrations, null, contract, failOnInvalid, scratch);
    }

    public DriftRequest drift() {
        return new DriftRequest(null, database, migrations, null, failOnDrift, failOnInvalid, scratch);
    }

    public ConfigCheckRequest config() {
        return new ConfigCheckRequest(null, database, migrations, null, requiredExtensions, instanceMemoryMb, failOnInvalid);
    }

    /** Readiness for an upgrade to PostgreSQL 18. */
    public UpgradeReadinessRequest upgradeReadiness() {
        return new UpgradeReadinessRequest(null, database, migrations, null, "18", null, failOnInvalid);
    }

    /** The event of {@code mode}, with the fields set so far that the mode has. */
    public ValidateRequest in(ValidateMode mode) {
        return switch (mode) {
            case PREFLIGHT -> preflight();
            case POST_MIGRATE -> postMigrate();
            case DRIFT -> drift();
            case CONFIG -> config();
            case UPGRADE_READINESS -> upgradeReadiness();
            case EXPORT -> export();
            case PARITY -> parity(database);
        };
    }
}
