package io.sluice.migration;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.config.SluiceConfig;
import io.sluice.error.AuthenticationFailed;
import io.sluice.error.DatabaseNotTrusted;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.SluiceException;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.JdbcUrl;
import io.sluice.files.FileRoots;
import io.sluice.isolation.Isolation;
import io.sluice.isolation.Isolations;
import io.sluice.isolation.ScratchBounds;
import io.sluice.roles.OwnRoles;

/**
 * Opens connections to the database an event names, with bounded connect and login times so that an unreachable
 * database fails fast with {@link DatabaseUnavailable} instead of running into the Lambda timeout.
 */
@ApplicationScoped
public class DatabaseConnector {

    /** pgjdbc's own words for the TLS failures it reports without a security exception as the cause. */
    private static final String[] TLS_FAILURES = {"SSL root certificate file", "could not be verified by hostnameverifier",
        "The server does not support SSL", "SSL error"};

    private final Duration connectTimeout;
    private final Duration loginTimeout;
    /** The connections kept between invocations; null: every connection is new. */
    private final ReusedConnections kept;
    /** Where scratch databases are made, and how they are bounded. */
    private final Isolations isolation;
    private final ScratchBounds scratchBounds;
    /** The setup script every scratch database runs first ({@code sluice.scratch.setup-script}); null when none. */
    private ScratchSetup scratchSetup;

    /**
     * A setup script: where it is (for messages) and how to read it, read when a scratch database is made (a missing
     * or unreadable file fails that work, typed, not the function's start).
     */
    public record ScratchSetup(String location, java.util.function.Supplier<String> sql) {
    }

    @Inject
    public DatabaseConnector(SluiceConfig config, OwnRoles roles) {
        this(config.database().connectTimeout(), config.database().loginTimeout(), config.database().keepConnection(),
                opener -> Isolations.of(config.scratch().isolation(), roles, config.scratch().maxSize(), config.scratch().maxDuration(),
                        config.scratch().directory().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir"), "sluice-postgres")),
                        config.scratch().extensions().orElse(List.of()), config.scratch().template().orElse(null), opener),
                new ScratchBounds(config.scratch().maxSize(), config.scratch().maxDuration()));
        this.scratchSetup = config.scratch().setupScript().map(location -> new ScratchSetup(location, () -> {
            try {
                return java.nio.file.Files.readString(FileRoots.of(config.files().roots()).file(location, "sluice.scratch.setup-script"));
            } catch (java.io.IOException e) {
                throw new InvalidRequest("sluice.scratch.setup-script: " + location + " cannot be read ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        })).orElse(null);
    }

    /** Keeping no connection between calls; scratch work on the embedded server. */
    public DatabaseConnector(Duration connectTimeout, Duration loginTimeout) {
        this(connectTimeout, loginTimeout, false);
    }

    /** Scratch work on the embedded server, bounded by the defaults (256MB, 5 minutes). */
    public DatabaseConnector(Duration connectTimeout, Duration loginTimeout, boolean keepConnection) {
        this(connectTimeout, loginTimeout, keepConnection, Isolations::embedded, new ScratchBounds("256MB", Duration.ofMinutes(5)));
    }

    /**
     * @param isolation     the scratch isolation, given how to open sessions as this connector does
     * @param scratchBounds the bounds of scratch work
     */
    public DatabaseConnector(Duration connectTimeout, Duration loginTimeout, boolean keepConnection,
            Function<Isolation.Opener, Isolations> isolation, ScratchBounds scratchBounds) {
        this.connectTimeout = connectTimeout;
        this.loginTimeout = loginTimeout;
        this.kept = keepConnection ? new ReusedConnections() : null;
        this.isolation = isolation.apply(target -> open(target, Duration.ofMinutes(2)));
        this.scratchBounds = scratchBounds;
    }

    /** Where this deployment makes scratch databases. */
    public Isolations isolation() {
        return isolation;
    }

    /** How scratch work is bounded. */
    public ScratchBounds scratchBounds() {
        return scratchBounds;
    }

    /** The script every scratch database runs first, when the deployment names one. */
    public java.util.Optional<ScratchSetup> scratchSetup() {
        return java.util.Optional.ofNullable(scratchSetup);
    }

    /** The same connector's scratch databases running {@code setup} first (tests and the local commands give one directly). */
    public DatabaseConnector withScratchSetup(ScratchSetup setup) {
        this.scratchSetup = setup;
        return this;
    }

    /**
     * A data source for the event's own database that lends the connection kept from an earlier invocation
     * ({@link ReusedConnections}) and keeps one when the caller closes it; with keeping off, {@link #dataSource}. Never
     * for a scratch database: one is dropped while a kept connection would still be in it.
     */
    public DataSource reusing(DatabaseTarget target, Duration socketTimeout) {
        DataSource fresh = dataSource(target, socketTimeout);
        return kept == null ? fresh : new LendingDataSource(fresh, () -> kept.lend(target, socketTimeout, fresh::getConnection));
    }

    /** {@link #open}, through {@link #reusing}. */
    public Connection openReusing(DatabaseTarget target, Duration socketTimeout) {
        try {
            return reusing(target, socketTimeout).getConnection();
        } catch (SQLException e) {
            throw classify(e, target);
        }
    }

    /** Closes the connections kept idle: after a failed invocation, and when the function shuts down. */
    @PreDestroy
    public void discardKept() {
        if (kept != null) {
            kept.discardIdle();
        }
    }

    /** How many connections are kept idle now. */
    public int keptIdle() {
        return kept == null ? 0 : kept.idle();
    }

    /**
     * A data source for {@code target}. {@code socketTimeout} bounds how long a read may hang on a dead
     * connection; pass zero only where the server-side {@code statement_timeout} already bounds every statement.
     */
    public DataSource dataSource(DatabaseTarget target, Duration socketTimeout) {
        return dataSource(target, socketTimeout, false);
    }

    /**
     * A data source for connections that prepare, plan or run text a caller wrote (scratch databases, probes): the
     * driver never makes a named server-side prepared statement on them ({@code prepareThreshold=0}, whatever the URL
     * says), so no {@code S_n} exists that such text could {@code EXECUTE} with arguments of its own.
     */
    public DataSource callerTextDataSource(DatabaseTarget target, Duration socketTimeout) {
        return dataSource(target, socketTimeout, true);
    }

    /** One connection from {@link #callerTextDataSource}, or a typed error that says why there is none. */
    public Connection openForCallerText(DatabaseTarget target, Duration socketTimeout) {
        try {
            return callerTextDataSource(target, socketTimeout).getConnection();
        } catch (SQLException e) {
            throw classify(e, target);
        }
    }

    private DataSource dataSource(DatabaseTarget target, Duration socketTimeout, boolean callerText) {
        JdbcUrl url = target.url();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(url.hosts().toArray(String[]::new));
        dataSource.setPortNumbers(url.ports().stream().mapToInt(Integer::intValue).toArray());
        dataSource.setDatabaseName(url.database());
        dataSource.setUser(target.username());
        dataSource.setPassword(target.password());
        dataSource.setConnectTimeout(seconds(connectTimeout));
        dataSource.setLoginTimeout(seconds(loginTimeout));
        dataSource.setSocketTimeout(seconds(socketTimeout));
        dataSource.setTcpKeepAlive(true);
        dataSource.setApplicationName("sluice");
        // The URL's own parameters (only those JdbcUrl allows) come last: what the database's owner asked for wins.
        for (Map.Entry<String, String> parameter : url.parameters().entrySet()) {
            try {
                dataSource.setProperty(parameter.getKey(), parameter.getValue());
            } catch (SQLException e) {
                throw new InvalidRequest("field 'database.jdbcUrl': the driver does not take " + parameter.getKey() + "="
                        + Echo.value(parameter.getValue()), e);
            }
        }
        if (callerText) {
            dataSource.setPrepareThreshold(0);
        }
        return dataSource;
    }

    /** Opens one connection, or fails with a typed error that says why. */
    public Connection open(DatabaseTarget target, Duration socketTimeout) {
        try {
            return dataSource(target, socketTimeout).getConnection();
        } catch (SQLException e) {
            throw classify(e, target);
        }
    }

    /** Turns a failure to connect into the error a workflow routes on. */
    public SluiceException classify(SQLException e, DatabaseTarget target) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = target.displayUrl();
        String tls = tlsFailure(e);
        if (tls != null) {
            return new DatabaseNotTrusted("database " + where + " could not be verified over TLS (sslmode " + target.url().sslMode() + "): "
                    + tls + ". Nothing was sent to it. Check the CA bundle (sluice.aws.database-ssl-root-cert; the RDS global bundle"
                    + " for RDS) and that the host is the one its certificate names.", e);
        }
        // 28xxx: the server refused the role or password; 08004: the driver could not even offer them.
        if (state.startsWith("28") || state.equals("08004")) {
            return new AuthenticationFailed("database " + where + " rejected the credentials of user '" + Echo.value(target.username())
                    + "': " + e.getMessage() + ". Check the user and password (or the secret) and the server's pg_hba.conf.", e);
        }
        if (state.equals("3D000")) {
            return new InvalidRequest("database " + where + " does not exist: " + e.getMessage(), e);
        }
        return new DatabaseUnavailable("cannot reach database " + where + " (connect timeout "
                + connectTimeout.toSeconds() + " s, login timeout " + loginTimeout.toSeconds() + " s): " + e.getMessage(), e);
    }

    /**
     * Why the TLS handshake or its set-up failed, or null when the failure is not about TLS: a certificate that does not
     * chain to the bundle or does not name the host, a bundle that cannot be read, a server that offers no TLS.
     */
    private static String tlsFailure(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\.+$", "");
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return Echo.value(message);
            }
        }
        for (String sign : TLS_FAILURES) {
            if (message.contains(sign)) {
                return Echo.value(message);
            }
        }
        return null;
    }

    private static int seconds(Duration duration) {
        if (duration.isZero()) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (duration.toMillis() + 999) / 1000));
    }
}
