package io.sluice.testing;

import io.sluice.event.DatabaseTarget;
import io.sluice.event.DeploymentId;
import io.sluice.event.MigratePhase;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrationSource;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.event.Timeout;

/** Builds migrate events for tests by name, field by field, instead of positional nulls. */
public final class MigrateEvent {

    private final DatabaseTarget database;
    private DeploymentId deploymentId;
    private MigrationSource migrations;
    private SchemaName schema;
    private TargetVersion target;
    private boolean dryRun;
    private Timeout lockTimeout;
    private Timeout statementTimeout;
    private TargetVersion baselineVersion;
    private String rdsSnapshot;
    private MigratePhase phase;

    private MigrateEvent(DatabaseTarget database) {
        this.database = database;
    }

    public static MigrateEvent against(DatabaseTarget database) {
        return new MigrateEvent(database);
    }

    public MigrateEvent deploymentId(DeploymentId value) {
        deploymentId = value;
        return this;
    }

    public MigrateEvent migrations(MigrationSource value) {
        migrations = value;
        return this;
    }

    public MigrateEvent schema(SchemaName value) {
        schema = value;
        return this;
    }

    public MigrateEvent target(TargetVersion value) {
        target = value;
        return this;
    }

    public MigrateEvent dryRun(boolean value) {
        dryRun = value;
        return this;
    }

    public MigrateEvent lockTimeout(Timeout value) {
        lockTimeout = value;
        return this;
    }

    public MigrateEvent statementTimeout(Timeout value) {
        statementTimeout = value;
        return this;
    }

    public MigrateEvent baselineVersion(TargetVersion value) {
        baselineVersion = value;
        return this;
    }

    public MigrateRequest build() {
        return new MigrateRequest(deploymentId, database, migrations, schema, target, dryRun, lockTimeout, statementTimeout,
                baselineVersion, rdsSnapshot, phase);
    }

    public MigrateEvent phase(MigratePhase value) {
        phase = value;
        return this;
    }

    public MigrateEvent rdsSnapshot(String value) {
        rdsSnapshot = value;
        return this;
    }
}
