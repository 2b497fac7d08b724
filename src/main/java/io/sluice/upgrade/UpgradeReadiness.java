package io.sluice.upgrade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;

/**
 * Whether a database (blue) can go to a newer major version through an RDS Blue/Green deployment, which fills green by
 * logical replication: what RDS documents that replication needs, read from the database itself. Each miss is a
 * finding with its fix.
 * <ul>
 * <li>{@code UPGRADE_TARGET}: the target is not a newer major version.</li>
 * <li>{@code LOGICAL_REPLICATION_OFF}: {@code wal_level} is not {@code logical} ({@code rds.logical_replication} off,
 * or set and the instance not rebooted since).</li>
 * <li>{@code REPLICATION_CAPACITY}: {@code max_replication_slots} and {@code max_wal_senders} below the databases
 * (one subscription each) plus the slots in use, {@code max_logical_replication_workers} below the databases plus one
 * for table synchronisation, {@code max_worker_processes} not above the logical workers (PostgreSQL's own rules for
 * that many subscriptions).</li>
 * <li>{@code NO_REPLICA_IDENTITY}: a table with no primary key and no {@code REPLICA IDENTITY FULL} or
 * {@code USING INDEX}: its updates and deletes do not reach green (or fail on blue once published).</li>
 * <li>{@code UNLOGGED_TABLE} and {@code LARGE_OBJECTS}: logical replication copies neither.</li>
 * <li>{@code MATERIALIZED_VIEW} (a warning): green has the view but does not refresh it.</li>
 * <li>{@code EXTENSION_OUTDATED} (a warning): an extension below the newest version installed on the server.</li>
 * <li>{@code MANAGED_MASTER_PASSWORD}: with {@code rdsInstance}, RDS manages the instance's master password in Secrets
 * Manager, which Blue/Green deployments do not support (RDS refuses to create one).</li>
 * </ul>
 * The tables are every schema's but the system's and extensions' own, since replication copies the whole database.
 */
public final class UpgradeReadiness {

    /** Names listed in one finding; the count says how many there are. */
    static final int LISTED = 20;

    /**
     * How long an upgrade may hold a Blue/Green deployment between creating green and switching over (green's copy of
     * a large database, its check, the baseline windows, an approval waited on): a rotation of the master secret due
     * sooner is refused, since logical replication does not carry it to green.
     */
    public static final java.time.Duration UPGRADE_WINDOW = java.time.Duration.ofHours(48);

    private final RdsInstances instances;
    private final java.util.Optional<String> allowedInstance;
    private final SecretRotations rotations;
    private final java.util.Optional<String> masterSecret;
    private final java.util.Optional<String> moduleEngineVersion;
    private final java.time.Clock clock;

    /** Readiness of the database alone. */
    public UpgradeReadiness() {
        this(RdsInstances.NONE, java.util.Optional.empty());
    }

    /**
     * @param instances       RDS, for what an instance's database cannot say
     * @param allowedInstance the instance this deployment may upgrade ({@code sluice.aws.rds-instance}); absent: any
     */
    public UpgradeReadiness(RdsInstances instances, java.util.Optional<String> allowedInstance) {
        this(instances, allowedInstance, SecretRotations.NONE, java.util.Optional.empty(), java.util.Optional.empty(),
                java.time.Clock.systemUTC());
    }

    /**
     * @param rotations           Secrets Manager, for the master secret's rotation schedule
     * @param masterSecret        the instance's master secret ({@code sluice.aws.database-secret-arn}); absent: not checked
     * @param moduleEngineVersion the major version the deployment's Terraform declares ({@code
     *                            sluice.aws.database-engine-version}); absent: not checked
     */
    public UpgradeReadiness(RdsInstances instances, java.util.Optional<String> allowedInstance, SecretRotations rotations,
            java.util.Optional<String> masterSecret, java.util.Optional<String> moduleEngineVersion, java.time.Clock clock) {
        this.instances = instances;
        this.allowedInstance = allowedInstance;
        this.rotations = rotations;
        this.masterSecret = masterSecret;
        this.moduleEngineVersion = moduleEngineVersion;
        this.clock = clock;
    }

    /** The database's readiness, and, with {@code rdsInstance}, its instance's. */
    public List<Finding> check(Connection connection, int targetMajor, String rdsInstance) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        if (rdsInstance != null) {
            if (allowedInstance.isPresent() && !allowedInstance.get().equals(rdsInstance)) {
                throw new io.sluice.error.NotAllowed("field 'rdsInstance': this deployment upgrades " + allowedInstance.get() + ", not "
                        + io.sluice.error.Echo.value(rdsInstance));
            }
            RdsInstances.Instance instance = instances.describe(rdsInstance).orElseThrow(() -> new io.sluice.error.InvalidRequest(
                    "field 'rdsInstance': RDS has no DB instance " + io.sluice.error.Echo.value(rdsInstance)));
            if (instance.masterUserSecretArn() != null) {
                findings.add(Finding.of(Severity.ERROR, FindingCode.MANAGED_MASTER_PASSWORD, null, null, "RDS manages the master password"
                        + " of " + rdsInstance + " in Secrets Manager (" + instance.masterUserSecretArn() + "), and Blue/Green deployments do"
                        + " not support a master password managed that way: RDS refuses to create one. Give the instance a master password"
                        + " of its own (Terraform: master_password_managed_by_rds = false, which keeps it in a secret the module owns and"
                        + " rotates), then check again"));
            }
            String runs = instance.engineVersion() == null ? "" : instance.engineVersion().split("\\.")[0];
            moduleEngineVersion.filter(declared -> !runs.isEmpty() && !declared.equals(runs)).ifPresent(declared -> findings.add(
                    Finding.of(Severity.ERROR, FindingCode.MODULE_VERSION_MISMATCH, null, null, rdsInstance + " runs PostgreSQL "
                            + instance.engineVersion() + ", but this deployment's Terraform declares database_engine_version = \""
                            + declared + "\": its next plan proposes a downgrade. After the last switchover set database_engine_version = \""
                            + runs + "\" (the parameter group's family follows it) and upgrade_target_engine_version = \"\", apply, then"
                            + " check again")));
            masterSecret.flatMap(rotations::describe).filter(rotation -> rotation.rotationEnabled() && rotation.nextRotation() != null
                    && rotation.nextRotation().isBefore(clock.instant().plus(UPGRADE_WINDOW))).ifPresent(rotation -> findings.add(
                    Finding.of(Severity.ERROR, FindingCode.ROTATION_DUE, null, null, "the master secret " + masterSecret.get()
                            + " rotates next at " + rotation.nextRotation() + ", within the " + UPGRADE_WINDOW.toHours() + " h an upgrade"
                            + " may hold green: logical replication does not carry a password change to green, so after the switchover"
                            + " the secret and the database would disagree and every function would fail to log in. Rotate it now"
                            + " (aws secretsmanager rotate-secret --secret-id " + masterSecret.get() + "), which moves the next"
                            + " rotation a full period away, then check again")));
        }
        findings.addAll(check(connection, targetMajor));
        return findings;
    }

    public List<Finding> check(Connection connection, int targetMajor) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            int serverMajor = Integer.parseInt(single(statement, "SHOW server_version_num")) / 10_000;
            if (targetMajor <= serverMajor) {
                findings.add(Finding.of(Severity.ERROR, FindingCode.UPGRADE_TARGET, null, null, "the target engine version " + targetMajor
                        + " is not a newer major version than the server's " + serverMajor + "; Blue/Green with logical replication"
                        + " is for major upgrades (a minor upgrade or a copy of the same version is a physical replica)"));
            }
            logicalReplication(statement, findings);
            capacity(statement, findings);
            tables(statement, findings);
        }
        return findings;
    }

    private static void logicalReplication(Statement statement, List<Finding> findings) throws SQLException {
        String walLevel = single(statement, "SELECT current_setting('wal_level')");
        String rds = single(statement, "SELECT current_setting('rds.logical_replication', true)");
        if (!walLevel.equals("logical")) {
            String how = "on".equals(rds) ? "rds.logical_replication is on but not applied: reboot the instance"
                    : "set rds.logical_replication = 1 in the instance's DB parameter group and reboot it: the parameter is static";
            findings.add(new Finding(Severity.ERROR, FindingCode.LOGICAL_REPLICATION_OFF, null, null, "wal_level is " + walLevel
                    + "; a Blue/Green deployment to a newer major version replicates logically: " + how, "logical", walLevel));
        }
    }

    private static void capacity(Statement statement, List<Finding> findings) throws SQLException {
        int databases = Integer.parseInt(single(statement, "SELECT count(*) FROM pg_database WHERE datallowconn AND NOT datistemplate"));
        int slotsInUse = Integer.parseInt(single(statement, "SELECT count(*) FROM pg_replication_slots"));
        int slots = setting(statement, "max_replication_slots");
        int senders = setting(statement, "max_wal_senders");
        int workers = setting(statement, "max_logical_replication_workers");
        int processes = setting(statement, "max_worker_processes");
        String why = " (" + databases + " database(s), one subscription each, and " + slotsInUse + " slot(s) in use)";
        need(findings, "max_replication_slots", slots, databases + slotsInUse, why);
        need(findings, "max_wal_senders", senders, databases + slotsInUse, why);
        need(findings, "max_logical_replication_workers", workers, databases + 1, " (one per database and one for table synchronisation)");
        need(findings, "max_worker_processes", processes, Math.max(workers, databases + 1) + 1, " (the logical replication workers and"
                + " one more)");
    }

    private static void need(List<Finding> findings, String parameter, int actual, int needed, String why) {
        if (actual < needed) {
            findings.add(new Finding(Severity.ERROR, FindingCode.REPLICATION_CAPACITY, null, null, parameter + " is " + actual
                    + ", below the " + needed + " logical replication needs" + why + ": raise it in blue's and green's DB parameter groups",
                    Integer.toString(needed), Integer.toString(actual)));
        }
    }

    private static void tables(Statement statement, List<Finding> findings) throws SQLException {
        String user = " n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                + " AND n.nspname NOT LIKE 'pg\\_temp%' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
                + " AND d.objid = c.oid AND d.deptype = 'e')";
        String name = "quote_ident(n.nspname) || '.' || quote_ident(c.relname)";
        List<String> noIdentity = names(statement, "SELECT " + name + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND c.relpersistence = 'p' AND" + user + " AND (c.relreplident = 'n' OR c.relreplident = 'd'"
                + " AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)) ORDER BY 1");
        listed(findings, Severity.ERROR, FindingCode.NO_REPLICA_IDENTITY, noIdentity, "table(s) without a primary key or a replica"
                + " identity", "their updates and deletes do not reach green: add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL");
        List<String> unlogged = names(statement, "SELECT " + name + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'u' AND" + user + " ORDER BY 1");
        listed(findings, Severity.ERROR, FindingCode.UNLOGGED_TABLE, unlogged, "unlogged table(s)", "logical replication does not copy"
                + " them, so green would have them empty: ALTER TABLE ... SET LOGGED before the upgrade, or accept the loss");
        int largeObjects = Integer.parseInt(single(statement, "SELECT count(*) FROM pg_largeobject_metadata"));
        if (largeObjects > 0) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.LARGE_OBJECTS, null, null, largeObjects + " large object(s): logical"
                    + " replication does not copy them, so green would not have them; move them into bytea columns first"));
        }
        List<String> views = names(statement, "SELECT " + name + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'm' AND" + user + " ORDER BY 1");
        listed(findings, Severity.WARNING, FindingCode.MATERIALIZED_VIEW, views, "materialized view(s)", "green has them as the"
                + " first copy left them and does not refresh them: REFRESH MATERIALIZED VIEW each after the switchover");
        List<String> extensions = names(statement, "SELECT quote_ident(e.extname) || ' ' || e.extversion || ' (newest ' || a.default_version"
                + " || ')' FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname"
                + " WHERE a.default_version IS DISTINCT FROM e.extversion ORDER BY 1");
        listed(findings, Severity.WARNING, FindingCode.EXTENSION_OUTDATED, extensions, "extension(s) below their newest version",
                "ALTER EXTENSION ... UPDATE before the upgrade, and check each is available on the target version");
    }

    private static void listed(List<Finding> findings, Severity severity, FindingCode code, List<String> names, String what, String fix) {
        if (names.isEmpty()) {
            return;
        }
        String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())))
                + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
        findings.add(Finding.of(severity, code, null, null, names.size() + " " + what + ": " + shown + "; " + fix));
    }

    private static List<String> names(Statement statement, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static int setting(Statement statement, String name) throws SQLException {
        return Integer.parseInt(single(statement, "SELECT current_setting('" + name + "')"));
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
