package io.sluice.testing;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL 17 per test JVM (embedded binaries, no Docker). Every test gets a database of its own from
 * {@link #newDatabase()}. The server asks for a password (scram-sha-256) from every role but the superuser, so
 * tests run the same authentication path as RDS. {@link #requiringTls()} is a second one shaped like an RDS instance
 * with {@code rds.force_ssl = 1}: TLS only (a connection without it is rejected), its certificate signed by
 * {@link #RDS_CA}, a stand-in for Amazon RDS's CA, for the host name {@code localhost}.
 */
public final class PostgresServer {

    /** The role Sluice connects as in tests, and its password: a value no log line or result may ever contain. */
    public static final String APP_USER = "sluice_app";
    public static final String APP_PASSWORD = "Pw-7f3c9e1b-never-in-logs";

    /** The CA that signs the TLS server's certificate, as Amazon RDS's signs an instance's. */
    public static final TestCa RDS_CA = new TestCa("Sluice tests RDS stand-in Root CA");

    /** The host name in the TLS server's certificate. */
    public static final String TLS_HOST = "localhost";

    private static PostgresServer instance;
    private static PostgresServer tls;
    private static PostgresServer tlsScratch;
    private static PostgresServer scratch;
    private static PostgresServer otherMajor;
    private static PostgresServer version18;
    private static PostgresServer logicalBlue;

    private final EmbeddedPostgres postgres;
    /** One count for every server of the JVM: a database on one may be given the name of one on another (Blue/Green pairs). */
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static synchronized PostgresServer get() {
        if (instance == null) {
            try {
                instance = applicationServer(EmbeddedPostgres.builder(), 120);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return instance;
    }

    /**
     * A second server of the same major version, started once, with the application role: where a team puts scratch
     * databases ({@code scratch} in an event) so that proofs do not load the live server.
     */
    public static synchronized PostgresServer scratchServer() {
        if (scratch == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "40")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setDataDirectoryCustomizer(hba(
                                "local all postgres trust",
                                "host  all postgres 127.0.0.1/32 trust",
                                "host  all postgres ::1/128 trust",
                                "host  all all 127.0.0.1/32 scram-sha-256",
                                "host  all all ::1/128 scram-sha-256"))
                        .start();
                scratch = new PostgresServer(postgres);
                scratch.superuser("CREATE ROLE " + APP_USER + " LOGIN CREATEDB PASSWORD '" + APP_PASSWORD + "'");
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL for scratch databases did not start", e);
            }
        }
        return scratch;
    }

    /**
     * A server of another major version than the embedded one (the machine's own PostgreSQL, Debian's 15 here), started
     * once with the application role; empty where the machine has none.
     */
    public static synchronized java.util.Optional<PostgresServer> otherMajorVersion() {
        File binaries = new File("/usr/lib/postgresql/15");
        if (otherMajor == null && new File(binaries, "bin/initdb").canExecute()) {
            try {
                // Packed the way the embedded server's binaries come (bin, lib, share in one archive), so that it starts
                // them as it starts its own.
                Path archive = Files.createDirectories(Path.of("target", "postgres15")).resolve("postgres-15.txz").toAbsolutePath();
                if (!Files.exists(archive)) {
                    ProcessBuilder pack = new ProcessBuilder("tar", "-cJf", archive.toString(), "-C", binaries.getPath(), "bin", "lib",
                            "-C", "/usr/share/postgresql", "--transform", "s,^15,share,", "15").inheritIO();
                    pack.environment().put("XZ_OPT", "-0");
                    Process tar = pack.start();
                    if (tar.waitFor() != 0) {
                        throw new IOException("tar could not pack " + binaries);
                    }
                }
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setPgBinaryResolver((system, machine) -> Files.newInputStream(archive))
                        // Debian's build puts its socket in /var/run/postgresql, which the server's user may not write.
                        .setServerConfig("unix_socket_directories", System.getProperty("java.io.tmpdir"))
                        .setServerConfig("max_connections", "20")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setDataDirectoryCustomizer(hba(
                                "local all postgres trust",
                                "host  all postgres 127.0.0.1/32 trust",
                                "host  all all 127.0.0.1/32 scram-sha-256"))
                        .start();
                otherMajor = new PostgresServer(postgres);
                otherMajor.superuser("CREATE ROLE " + APP_USER + " LOGIN CREATEDB PASSWORD '" + APP_PASSWORD + "'");
            } catch (IOException e) {
                throw new UncheckedIOException("the machine's PostgreSQL 15 did not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return java.util.Optional.ofNullable(otherMajor);
    }

    /**
     * A PostgreSQL 18 server (the embedded binaries Maven copies to {@code target/postgres18}), started once, shaped as
     * the main one: the application role, passwords, {@code pg_stat_statements} preloaded. The plan check's statistics
     * copy needs 18.
     */
    public static synchronized PostgresServer version18() {
        if (version18 == null) {
            Path binaries = Path.of("target", "postgres18", "postgres-18-binaries.jar").toAbsolutePath();
            if (!Files.exists(binaries)) {
                throw new IllegalStateException(binaries + " is missing: Maven copies it in process-test-resources (./mvnw test-compile)");
            }
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setPgBinaryResolver((system, machine) -> {
                            ZipFile jar = new ZipFile(binaries.toFile());
                            ZipEntry archive = jar.getEntry(("postgres-" + system + "-" + machine + ".txz").toLowerCase(Locale.ROOT));
                            if (archive == null) {
                                jar.close();
                                throw new IOException(binaries + " holds no PostgreSQL 18 for " + system + "-" + machine);
                            }
                            return new FilterInputStream(jar.getInputStream(archive)) {
                                @Override
                                public void close() throws IOException {
                                    super.close();
                                    jar.close();
                                }
                            };
                        });
                version18 = applicationServer(builder, 40);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL 18 did not start", e);
            }
        }
        return version18;
    }

    /**
     * A PostgreSQL 17 server started as RDS starts a Blue/Green deployment's blue for a major upgrade
     * ({@code rds.logical_replication = 1}: {@code wal_level = logical}, slots and senders for its subscriptions), shaped
     * as the main one otherwise; started once.
     */
    public static synchronized PostgresServer logicalBlue() {
        if (logicalBlue == null) {
            try {
                // Room for one subscription per database, as readiness asks of a blue: the tests make many databases here.
                logicalBlue = applicationServer(EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", "100").setServerConfig("max_wal_senders", "100")
                        .setServerConfig("max_logical_replication_workers", "100").setServerConfig("max_worker_processes", "110"), 40);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL with wal_level logical did not start", e);
            }
        }
        return logicalBlue;
    }

    /** A new, empty database named {@code name}, owned by the application role. */
    public TestDatabase databaseNamed(String name) {
        superuser("CREATE DATABASE " + name + " OWNER " + APP_USER);
        TestDatabase database = new TestDatabase(this, name);
        database.superuserSql("ALTER SCHEMA public OWNER TO " + APP_USER);
        return database;
    }

    /**
     * A server shaped as the tests' main one, from {@code builder} (which binaries): the application role, passwords
     * (scram-sha-256) from every role but the superuser, {@code pg_stat_statements} preloaded as in RDS's default
     * parameter group.
     */
    private static PostgresServer applicationServer(EmbeddedPostgres.Builder builder, int maxConnections) throws IOException {
        EmbeddedPostgres postgres = builder
                .setServerConfig("max_connections", String.valueOf(maxConnections))
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(hba(
                        "local all postgres trust",
                        "host  all postgres 127.0.0.1/32 trust",
                        "host  all postgres ::1/128 trust",
                        "local all all scram-sha-256",
                        "host  all all 127.0.0.1/32 scram-sha-256",
                        "host  all all ::1/128 scram-sha-256"))
                .start();
        PostgresServer server = new PostgresServer(postgres);
        server.superuser("CREATE ROLE " + APP_USER + " LOGIN CREATEDB PASSWORD '" + APP_PASSWORD + "'");
        server.asRdsMaster(APP_USER);
        return server;
    }

    /** The server that requires TLS, started once. */
    public static synchronized PostgresServer requiringTls() {
        if (tls == null) {
            tls = tlsServer("tls-server");
        }
        return tls;
    }

    /**
     * A second server shaped as an RDS instance requiring TLS (the same CA, the same host name): a scratch instance
     * beside the live one, with its master user {@link #APP_USER}; started once.
     */
    public static synchronized PostgresServer scratchRequiringTls() {
        if (tlsScratch == null) {
            tlsScratch = tlsServer("tls-scratch-server");
            tlsScratch.superuser("CREATE ROLE " + APP_USER + " LOGIN CREATEDB PASSWORD '" + APP_PASSWORD + "'");
        }
        return tlsScratch;
    }

    private static PostgresServer tlsServer(String folder) {
        {
            try {
                Path certificates = Files.createDirectories(Path.of("target", folder).toAbsolutePath());
                TestCa.Server server = RDS_CA.server(TLS_HOST, certificates);
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "60")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setServerConfig("ssl", "on")
                        .setServerConfig("ssl_cert_file", server.certificate().toString())
                        .setServerConfig("ssl_key_file", server.key().toString())
                        .setServerConfig("ssl_min_protocol_version", "TLSv1.2")
                        .setDataDirectoryCustomizer(hba(
                                // As RDS's rds.force_ssl: roles but the superuser (the tests' back door) use TLS or nothing.
                                "local     all postgres trust",
                                "host      all postgres 127.0.0.1/32 trust",
                                "host      all postgres ::1/128 trust",
                                "hostssl   all all 127.0.0.1/32 scram-sha-256",
                                "hostssl   all all ::1/128 scram-sha-256",
                                "hostnossl all all 0.0.0.0/0 reject",
                                "hostnossl all all ::/0 reject"))
                        .start();
                return new PostgresServer(postgres);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL with TLS did not start", e);
            }
        }
    }

    /**
     * The database {@code name} owned by {@code owner} (a login role with {@code password}, created when missing), empty:
     * dropped first if it was there. What a new RDS instance has: its database and its master user.
     */
    public TestDatabase freshDatabase(String name, String owner, String password) {
        superuser("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + owner + "') THEN CREATE ROLE " + owner
                + " LOGIN CREATEDB; END IF; END $$");
        superuser("ALTER ROLE " + owner + " PASSWORD '" + password + "'");
        asRdsMaster(owner);
        superuser("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        superuser("CREATE DATABASE " + name + " OWNER " + owner);
        TestDatabase database = new TestDatabase(this, name, owner, password);
        database.superuserSql("ALTER SCHEMA public OWNER TO " + owner);
        return database;
    }

    /**
     * Gives {@code role} what RDS gives its master user and Sluice needs of the live database's user to make its own
     * roles (the probe role, the scratch role): {@code CREATEROLE}, and the right to set {@code temp_file_limit} on a role.
     */
    public void asRdsMaster(String role) {
        superuser("ALTER ROLE " + role + " CREATEROLE");
        superuser("GRANT SET ON PARAMETER temp_file_limit TO " + role);
    }

    /** Changes {@code role}'s password, as a rotation of its secret does. */
    public void rotatePassword(String role, String password) {
        superuser("ALTER ROLE " + role + " PASSWORD '" + password + "'");
    }

    /** Writes {@code lines} as the server's pg_hba.conf before it starts. */
    public static Consumer<File> hba(String... lines) {
        return dataDirectory -> {
            try {
                Files.writeString(Path.of(dataDirectory.getPath(), "pg_hba.conf"), String.join("\n", lines) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    public int port() {
        return postgres.getPort();
    }

    /** A new, empty database owned by the application role. */
    /** {@code database} as another role sees it (the role must exist and may connect). */
    public TestDatabase as(TestDatabase database, String user, String password) {
        return new TestDatabase(this, database.name(), user, password);
    }

    public TestDatabase newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        superuser("CREATE DATABASE " + name + " OWNER " + APP_USER);
        TestDatabase database = new TestDatabase(this, name);
        database.superuserSql("ALTER SCHEMA public OWNER TO " + APP_USER);
        return database;
    }

    /** A new database copied from {@code template} (which must have no open connections). */
    public TestDatabase copyOf(TestDatabase template) {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        superuser("CREATE DATABASE " + name + " TEMPLATE " + template.name() + " OWNER " + APP_USER);
        return new TestDatabase(this, name);
    }

    Connection superuserConnection(String database) throws SQLException {
        return postgres.getDatabase("postgres", database).getConnection();
    }

    public void superuser(String sql) {
        try (Connection connection = superuserConnection("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
