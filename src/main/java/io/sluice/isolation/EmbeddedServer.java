package io.sluice.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.roles.OwnRoles;

/**
 * A PostgreSQL server of the live database's major version that the function itself starts, in a folder of its own
 * temporary space, listening on 127.0.0.1 only: scratch work then never reaches the live server. Its binaries come in
 * the artifact ({@code sluice-postgres/<major>/postgres-linux-<arch>.txz}); they are unpacked and the cluster is made
 * once per process, then kept for the warm invocations that follow. Sluice alone knows its superuser's password; what
 * a release carries runs as {@value #WORKER}, which is no superuser, owns its scratch database and nothing else, and so
 * cannot run programs, read files, load libraries, create untrusted languages or extensions, or reach the network
 * (no dblink or postgres_fdw in its template unless the deployment lists them). The processes start with an empty
 * environment: nothing of the function's (its AWS credentials) is theirs.
 */
public final class EmbeddedServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class);

    static final String ADMIN = "sluice_embedded_superuser";
    /** The role scratch databases belong to, and the only one what a release carries runs as. */
    public static final String WORKER = "sluice_scratch";
    static final String TEMPLATE = "sluice_template";
    /** The servers this process runs, by major version and settings (another template is another server). */
    private static final Map<String, EmbeddedServer> RUNNING = new ConcurrentHashMap<>();
    private static final int START_SECONDS = 60;

    /** How the embedded servers are set up: where, and what their template holds. */
    public record Settings(Path directory, List<String> extensions, String tempFileLimit) {
    }

    private final int major;
    private final String version;
    private final Process process;
    private final int port;
    private final String adminPassword;
    private final String workerPassword;
    private final Path data;
    private final Set<String> mirrored = ConcurrentHashMap.newKeySet();

    private EmbeddedServer(int major, String version, Process process, int port, String adminPassword, String workerPassword,
            Path data) {
        this.major = major;
        this.version = version;
        this.process = process;
        this.port = port;
        this.adminPassword = adminPassword;
        this.workerPassword = workerPassword;
        this.data = data;
    }

    /** The major versions this artifact carries a server of. */
    public static List<Integer> shipped() {
        List<Integer> majors = new ArrayList<>();
        for (int major = 12; major <= 30; major++) {
            if (binaries(major) != null) {
                majors.add(major);
            }
        }
        return majors;
    }

    /**
     * The running server of {@code major}, started first when this process has none.
     *
     * @throws NotIsolated when the artifact carries no server of that version, or it cannot start here
     */
    public static EmbeddedServer of(int major, Settings settings) {
        String key = major + " " + settings;
        EmbeddedServer running = RUNNING.get(key);
        if (running != null && running.process.isAlive()) {
            return running;
        }
        synchronized (RUNNING) {
            running = RUNNING.get(key);
            if (running != null && running.process.isAlive()) {
                return running;
            }
            if (binaries(major) == null) {
                throw new NotIsolated("scratch work needs a PostgreSQL " + major + " and this artifact carries the embedded PostgreSQL "
                        + shipped() + " only: choose a scratch server of the live engine (sluice.scratch.isolation=server; the"
                        + " module's scratch_instance) or the scratch role (sluice.scratch.isolation=role)");
            }
            long started = System.nanoTime();
            try {
                EmbeddedServer server = start(major, settings);
                RUNNING.put(key, server);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "sluice-postgres-" + major + "-stop"));
                LOG.infof("embedded PostgreSQL %s started for scratch work in %d ms (data in %s)", server.version,
                        (System.nanoTime() - started) / 1_000_000, server.data);
                return server;
            } catch (IOException | SQLException e) {
                throw new NotIsolated("the embedded PostgreSQL " + major + " for scratch work did not start here (" + e.getMessage()
                        + "): choose a scratch server (sluice.scratch.isolation=server) or the scratch role (role)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotIsolated("interrupted while the embedded PostgreSQL " + major + " started", e);
            }
        }
    }

    private static URL binaries(int major) {
        return EmbeddedServer.class.getClassLoader().getResource("sluice-postgres/" + major + "/postgres-linux-" + architecture() + ".txz");
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm_64" : "x86_64";
    }

    private static EmbeddedServer start(int major, Settings settings) throws IOException, SQLException, InterruptedException {
        Path root = Files.createDirectories(settings.directory());
        Path installation = unpack(major, root);
        dropStaleClusters(root);
        Path data = Files.createTempDirectory(root, "data-" + major + "-");
        String adminPassword = OwnRoles.password();
        String workerPassword = OwnRoles.password();
        Path passwordFile = Files.writeString(root.resolve(data.getFileName() + ".pw"), adminPassword);
        try {
            run(installation, List.of(installation.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", ADMIN,
                    "--auth=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C", "--no-sync"), root.resolve(data
                            .getFileName() + ".initdb.log"));
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n");
        IOException lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = root.resolve(data.getFileName() + ".log");
            List<String> command = new ArrayList<>(asUnprivileged());
            // The server goes with this process: the shell's stdin is a pipe from here, and when that closes (this process
            // ends, however it ends) the shell asks the server for a fast shutdown; the shell itself ends when the server
            // does. The pipe is handed to the watcher as fd 3: a shell gives an asynchronous list /dev/null for its stdin,
            // so a plain cat would end at once.
            command.addAll(List.of("/bin/sh", "-c", "exec 3<&0; \"$@\" </dev/null 3<&- & pid=$!; (cat <&3 >/dev/null; kill -INT $pid) &"
                    + " exec 3<&-; wait $pid", "sh"));
            command.addAll(List.of(installation.resolve("bin/postgres").toString(), "-D", data.toString(), "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=40",
                    "-c", "shared_buffers=32MB", "-c", "dynamic_shared_memory_type=mmap", "-c", "huge_pages=off",
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "wal_level=minimal",
                    "-c", "max_wal_senders=0", "-c", "autovacuum=off", "-c", "temp_file_limit=" + settings.tempFileLimit(),
                    "-c", "password_encryption=scram-sha-256", "-c", "log_min_messages=warning", "-c", "logging_collector=off"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectInput(ProcessBuilder.Redirect.PIPE);
            cleanEnvironment(builder);
            Process process = builder.start();
            EmbeddedServer server = new EmbeddedServer(major, null, process, port, adminPassword, workerPassword, data);
            try {
                String version = server.awaitReady(log);
                server = new EmbeddedServer(major, version, process, port, adminPassword, workerPassword, data);
                server.bootstrap(settings.extensions());
                return server;
            } catch (IOException e) {
                process.getOutputStream().close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    /** Waits until the server takes a login; its version. */
    private String awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("postgres exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Connection connection = admin("postgres"); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("postgres did not take a login within " + START_SECONDS + " s: " + tail(log));
    }

    /** The worker role and the template scratch databases are copied from, with the deployment's extensions. */
    private void bootstrap(List<String> extensions) throws SQLException {
        try (Connection connection = admin("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + WORKER);
            resetWorker(statement);
            statement.execute("CREATE DATABASE " + TEMPLATE + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
            statement.execute("REVOKE ALL ON DATABASE postgres, template1 FROM PUBLIC");
        }
        try (Connection connection = admin(TEMPLATE); Statement statement = connection.createStatement()) {
            // The worker owns each scratch database, and so, through pg_database_owner, its schema public; but up to
            // PostgreSQL 15 a NOINHERIT role does not use pg_database_owner's privileges, and every script failed there
            // with "permission denied for schema public". Granted in the template, so every copy has it.
            statement.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + WORKER);
            for (String extension : extensions) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS " + quote(extension));
            }
        }
        try (Connection connection = admin("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + TEMPLATE + " IS_TEMPLATE true ALLOW_CONNECTIONS false");
        }
    }

    /**
     * Makes each of {@code roles} (the live server's role names) exist here as a role with no attribute and no
     * privilege that the worker may become: a script that grants to a role, or gives it an object, runs here as on the
     * live server. The live server's roles' attributes, passwords and memberships are not copied.
     */
    void mirror(Collection<String> roles) throws SQLException {
        List<String> missing = roles.stream().filter(role -> !role.startsWith("pg_") && !role.equals(ADMIN) && !role.equals(WORKER)
                && !mirrored.contains(role)).toList();
        if (missing.isEmpty()) {
            return;
        }
        try (Connection connection = admin("postgres"); Statement statement = connection.createStatement()) {
            for (String role : missing) {
                statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(role) + ") THEN CREATE ROLE "
                        + quote(role) + " NOLOGIN; END IF; END $$");
                statement.execute("GRANT " + quote(role) + " TO " + WORKER);
                mirrored.add(role);
            }
        }
    }

    /**
     * Makes the worker what {@link #bootstrap} made it once more: a script it ran may have changed its password or its
     * settings ({@code ALTER ROLE CURRENT_USER}), which would fail or loosen the next release's work in this environment.
     */
    void resetWorker(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            resetWorker(statement);
        }
    }

    private void resetWorker(Statement statement) throws SQLException {
        statement.execute("ALTER ROLE " + WORKER + " WITH LOGIN NOINHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT 30 PASSWORD '"
                + workerPassword + "'");
        statement.execute("ALTER ROLE " + WORKER + " RESET ALL");
        statement.execute("ALTER ROLE " + WORKER + " SET client_connection_check_interval = '1s'");
    }

    /** A superuser session of this server (Sluice's own: creating and dropping scratch databases, watching them). */
    Connection admin(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", ADMIN);
        properties.setProperty("password", adminPassword);
        properties.setProperty("sslmode", "disable");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "sluice");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    /** The worker's login to {@code database}. */
    DatabaseTarget worker(String database) {
        return new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?sslmode=disable", WORKER, workerPassword);
    }

    int major() {
        return major;
    }

    /** {@code PostgreSQL 17.11}. */
    String version() {
        return "PostgreSQL " + version;
    }

    private void stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(data);
        for (String log : List.of(".log", ".initdb.log")) {
            try {
                Files.deleteIfExists(data.resolveSibling(data.getFileName() + log));
            } catch (IOException e) {
                LOG.debugf("could not remove %s%s", data, log);
            }
        }
    }

    /**
     * The binaries of {@code major}, unpacked once into {@code root} (a lock keeps two processes from unpacking the same
     * folder; a marker file says it is whole).
     */
    private static Path unpack(int major, Path root) throws IOException {
        Path installation = root.resolve("pg" + major + "-" + architecture());
        Path whole = installation.resolve(".unpacked");
        if (Files.exists(whole)) {
            return installation;
        }
        try (FileChannel channel = FileChannel.open(root.resolve("pg" + major + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (Files.exists(whole)) {
                return installation;
            }
            delete(installation);
            long started = System.nanoTime();
            try (InputStream archive = binaries(major).openStream(); TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(
                    archive))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = installation.resolve(entry.getName()).normalize();
                    if (!target.startsWith(installation)) {
                        throw new IOException("the PostgreSQL archive names a path outside its folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        if ((entry.getMode() & 0100) != 0) {
                            Files.setPosixFilePermissions(target, EnumSet.of(PosixFilePermission.OWNER_READ,
                                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
                                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
                        }
                    }
                }
            }
            Files.writeString(whole, "");
            LOG.infof("unpacked the embedded PostgreSQL %d in %d ms", major, (System.nanoTime() - started) / 1_000_000);
            return installation;
        }
    }

    /** Removes the data folders of clusters whose server is gone (a process that was killed left them). */
    private static void dropStaleClusters(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.filter(path -> path.getFileName().toString().startsWith("data-")).toList()) {
                Path pidFile = entry.resolve("postmaster.pid");
                boolean alive = false;
                if (Files.exists(pidFile)) {
                    String pid = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
                    alive = pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                }
                if (!alive && Files.isDirectory(entry)) {
                    delete(entry);
                    Files.deleteIfExists(entry.resolveSibling(entry.getFileName() + ".log"));
                    Files.deleteIfExists(entry.resolveSibling(entry.getFileName() + ".initdb.log"));
                }
            }
        }
    }

    /** As root (a CI container), the server runs in a user namespace of its own, as nobody: PostgreSQL refuses root. */
    private static List<String> asUnprivileged() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        return List.of("unshare", "-U");
    }

    /** The server's processes see no variable of the function's: only a locale and a time zone. */
    private static void cleanEnvironment(ProcessBuilder builder) {
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("LC_ALL", "C");
        environment.put("TZ", "UTC");
        environment.put("PATH", "/usr/bin:/bin");
    }

    private static void run(Path installation, List<String> initdb, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(asUnprivileged());
        command.addAll(initdb);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        cleanEnvironment(builder);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("initdb failed: " + tail(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
