package io.sluice.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.sluice.error.InvalidRequest;
import io.sluice.upgrade.BlueGreen;
import io.sluice.upgrade.BlueGreenDeployments;

/**
 * Blue/Green deployments answered by two real servers, green filled the way RDS fills it for a major upgrade:
 * PostgreSQL's own logical replication. Blue is a database on {@link PostgresServer#logicalBlue()} (17,
 * {@code wal_level = logical}); {@code create} makes its namesake on {@link PostgresServer#version18()}, creates the
 * schema there with {@code schema} (the embedded binaries have no {@code pg_dump}, and Debian's refuses newer servers),
 * empties its tables, and subscribes it to a publication of all of blue's tables, which copies every row and then
 * streams each change. As on RDS, green's sessions start read-only for the application role until the switchover.
 * <p>
 * The switchover, as RDS's: blue stops taking writes (read-only, the application's sessions on it ended), green catches
 * up with everything blue wrote (or, past the timeout, blue takes writes again and the switchover failed), the
 * sequences are copied (logical replication does not carry them), the replication ends, and green takes writes. A database URL naming both servers with {@code targetServerType=primary} ({@link #databaseUrl()}) then
 * reaches green, as an RDS endpoint moves to green under blue's name.
 */
public final class BlueGreenPair implements BlueGreenDeployments {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String instance;
    private final TestDatabase blue;
    private final Consumer<TestDatabase> schema;
    private final Map<String, State> deployments = new ConcurrentHashMap<>();

    private static final class State {
        final String id;
        final String name;
        final String greenInstance;
        final TestDatabase green;
        volatile String status = "PROVISIONING";
        final String createTime = java.time.Instant.now().toString();

        State(String id, String name, String greenInstance, TestDatabase green) {
            this.id = id;
            this.name = name;
            this.greenInstance = greenInstance;
            this.green = green;
        }

        String subscription() {
            return "sluice_" + id.replace('-', '_');
        }
    }

    /**
     * @param instance the RDS instance identifier blue stands for
     * @param blue     a database on {@link PostgresServer#logicalBlue()}
     * @param schema   creates blue's schema in green's (empty) database, as blue's was created
     */
    public BlueGreenPair(String instance, TestDatabase blue, Consumer<TestDatabase> schema) {
        if (blue.server() != PostgresServer.logicalBlue()) {
            throw new IllegalArgumentException("blue must be on PostgresServer.logicalBlue(): logical replication needs wal_level logical");
        }
        this.instance = instance;
        this.blue = blue;
        this.schema = schema;
    }

    /** A URL that reaches whichever of the pair is writable: blue before the switchover, green after it. */
    public String databaseUrl() {
        return "jdbc:postgresql://127.0.0.1:" + PostgresServer.logicalBlue().port() + ",127.0.0.1:" + PostgresServer.version18().port()
                + "/" + blue.name() + "?targetServerType=primary";
    }

    /** The instances as RDS describes them: blue's, on 17, with a master password of its own. */
    public io.sluice.upgrade.RdsInstances instances() {
        return identifier -> identifier.equals(instance)
                ? java.util.Optional.of(new io.sluice.upgrade.RdsInstances.Instance(instance, "17.11", null)) : java.util.Optional.empty();
    }

    /** Green's database of deployment {@code id}. */
    public TestDatabase green(String id) {
        return state(id).green;
    }

    @Override
    public BlueGreen create(String source, String name, String targetEngineVersion, String targetParameterGroup, String deploymentId) {
        if (!source.equals(instance)) {
            throw new InvalidRequest("field 'rdsInstance': RDS has no such DB instance, so it cannot create a Blue/Green deployment");
        }
        if (!targetEngineVersion.split("\\.")[0].equals("18")) {
            throw new InvalidRequest("RDS refused to create a Blue/Green deployment (InvalidParameterCombination: this pair's green runs 18,"
                    + " not " + targetEngineVersion + ")");
        }
        if (deployments.values().stream().anyMatch(state -> state.name.equals(name))) {
            throw new InvalidRequest("RDS refuses to create a Blue/Green deployment: a Blue/Green deployment of that name exists already");
        }
        String id = "bgd-" + random(16, "abcdefghijklmnopqrstuvwxyz0123456789");
        TestDatabase green = PostgresServer.version18().databaseNamed(blue.name());
        schema.accept(green);
        State state = new State(id, name, instance + "-green-" + random(6, "abcdefghijklmnopqrstuvwxyz"), green);
        // Green starts empty: the subscription's first copy fills every table.
        green.superuserSql("""
                DO $$ DECLARE tables text; BEGIN
                  SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables FROM pg_tables
                   WHERE schemaname NOT IN ('pg_catalog', 'information_schema');
                  IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' CASCADE'; END IF;
                END $$""");
        blue.superuserSql("CREATE PUBLICATION " + state.subscription() + " FOR ALL TABLES");
        green.superuserSql("CREATE SUBSCRIPTION " + state.subscription() + " CONNECTION 'host=127.0.0.1 port="
                + PostgresServer.logicalBlue().port() + " dbname=" + blue.name() + " user=postgres' PUBLICATION " + state.subscription());
        readOnly(green, true);
        deployments.put(id, state);
        return describe(id);
    }

    @Override
    public BlueGreen describe(String id) {
        State state = state(id);
        if (state.status.equals("PROVISIONING") && synchronised(state)) {
            state.status = "AVAILABLE";
        }
        boolean switched = state.status.startsWith("SWITCHOVER_COMPLETED");
        return new BlueGreen(state.id, state.name, state.status, switched ? instance + "-old1" : instance,
                switched ? instance : state.greenInstance, "127.0.0.1:" + PostgresServer.version18().port(), null,
                state.createTime);
    }

    @Override
    public BlueGreen switchover(String id, int timeoutSeconds) {
        State state = state(id);
        if (!describe(id).available()) {
            throw new InvalidRequest("RDS refuses to switch over Blue/Green deployment " + id + " in its current state: " + state.status);
        }
        BlueGreen before = describe(id);
        try {
            // As RDS: blue stops taking writes first (read-only, the application's sessions ended), then green catches up
            // with everything blue wrote; a green that does not within the timeout leaves blue as it was.
            readOnly(blue, true);
            endSessions(blue);
            String written = single(blue, "SELECT pg_current_wal_lsn()::text");
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (!"t".equals(single(blue, "SELECT coalesce(bool_and(confirmed_flush_lsn >= '" + written + "'::pg_lsn), false)"
                    + " FROM pg_replication_slots WHERE slot_name = '" + state.subscription() + "'"))) {
                if (System.nanoTime() > deadline) {
                    readOnly(blue, false);
                    state.status = "SWITCHOVER_FAILED";
                    return describe(id);
                }
                Thread.sleep(20);
            }
            for (String sequence : rows(blue, "SELECT format('%I.%I', schemaname, sequencename) || '|' || coalesce(last_value, 1) || '|'"
                    + " || (last_value IS NOT NULL) FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                String[] parts = sequence.split("\\|");
                state.green.superuserSql("SELECT setval('" + parts[0].replace("'", "''") + "', " + parts[1] + ", " + parts[2] + ")");
            }
            state.green.superuserSql("DROP SUBSCRIPTION " + state.subscription());
            blue.superuserSql("DROP PUBLICATION " + state.subscription());
            readOnly(state.green, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        state.status = "SWITCHOVER_COMPLETED";
        return new BlueGreen(before.id(), before.name(), "SWITCHOVER_IN_PROGRESS", before.blueInstance(), before.greenInstance(),
                before.greenEndpoint(), null, before.createTime());
    }

    @Override
    public BlueGreen delete(String id, boolean deleteGreen) {
        State state = state(id);
        BlueGreen before = describe(id);
        if (!state.status.equals("SWITCHOVER_COMPLETED")) {
            state.green.superuserSql("DROP SUBSCRIPTION IF EXISTS " + state.subscription());
            blue.superuserSql("DROP PUBLICATION IF EXISTS " + state.subscription());
            if (deleteGreen) {
                PostgresServer.version18().superuser("DROP DATABASE " + state.green.name() + " WITH (FORCE)");
            }
        }
        deployments.remove(id);
        return new BlueGreen(before.id(), before.name(), "DELETING", before.blueInstance(), before.greenInstance(), before.greenEndpoint(),
                null, before.createTime());
    }

    /** Whether deployment {@code id} is gone, as RDS forgets a deleted one. */
    public boolean exists(String id) {
        return deployments.containsKey(id);
    }

    /** Whether green's database of a deleted deployment is gone too. */
    public static boolean greenDatabaseExists(String name) {
        return !rows(PostgresServer.version18(), "SELECT 1 FROM pg_database WHERE datname = '" + name + "'").isEmpty();
    }

    private State state(String id) {
        State state = deployments.get(id);
        if (state == null) {
            throw new InvalidRequest("RDS has no such Blue/Green deployment, so it cannot describe Blue/Green deployment " + id
                    + "; nothing was changed");
        }
        return state;
    }

    /** Every table copied and streaming. */
    private static boolean synchronised(State state) {
        return "t".equals(single(state.green, "SELECT count(*) > 0 AND bool_and(srsubstate = 'r') FROM pg_subscription_rel r"
                + " JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = '" + state.subscription() + "'"));
    }

    /**
     * Every session in the database but the superuser's own ends, as RDS's switchover ends every connection. Each is waited
     * for (up to 5 s): pg_terminate_backend returns once it has signalled, and a session mid-commit then still writes
     * WAL after the position the switchover waits for green to reach, an acknowledged order green never got.
     */
    private static void endSessions(TestDatabase database) {
        database.superuserSql("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND usename IS DISTINCT FROM current_user");
    }

    /**
     * The sessions of the database's user and of Sluice's probe role start read-only (or not), as RDS keeps a Blue/Green
     * deployment's green and old blue for every login; not the replication's own workers, which must write on green.
     */
    private static void readOnly(TestDatabase database, boolean readOnly) {
        for (String role : java.util.List.of(database.user(), io.sluice.roles.OwnRoles.PROBE)) {
            database.superuserSql("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN ALTER ROLE " + role
                    + " IN DATABASE " + database.name() + " SET default_transaction_read_only = " + (readOnly ? "on" : "off")
                    + "; END IF; END $$");
        }
    }

    private static String single(TestDatabase database, String sql) {
        List<String> rows = rows(database, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<String> rows(TestDatabase database, String sql) {
        try (Connection connection = database.server().superuserConnection(database.name())) {
            return rows(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static List<String> rows(PostgresServer server, String sql) {
        try (Connection connection = server.superuserConnection("postgres")) {
            return rows(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static String random(int length, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
