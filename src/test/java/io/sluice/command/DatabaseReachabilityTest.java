package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.error.AuthenticationFailed;
import io.sluice.error.DatabaseNotTrusted;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.SluiceException;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.MigrateRequest;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.testing.MigrateEvent;

class DatabaseReachabilityTest {

    private static MigrateRequest migrateTo(DatabaseTarget target) {
        return MigrateEvent.against(target).build();
    }

    @Test
    void nothingListening_failsFastWithDatabaseUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + port + "/app", "app", "pw");

        assertThatThrownBy(() -> Sluice.migrate().run(migrateTo(target), Duration.ofMinutes(1)))
                .isInstanceOf(DatabaseUnavailable.class)
                .hasMessageContaining("cannot reach database jdbc:postgresql://127.0.0.1:" + port + "/app");
    }

    @Test
    void serverThatNeverAnswers_failsWithinTheLoginTimeout_notAtTheLambdaTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept()); // accept, then say nothing
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.start();
            DatabaseTarget target = new DatabaseTarget("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/app",
                    "app", "pw");

            // The connector in tests has a 3 s login timeout; without one this would hang for good.
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> Sluice.validate()
                    .run(ValidateEvent.against(target).preflight()))
                    .isInstanceOf(DatabaseUnavailable.class)
                    .hasMessageContaining("login timeout 3 s"));
        }
    }

    @Test
    void aServerWithoutTls_whereTheTargetRequiresIt_isNotTrusted_notUnavailable_andNothingIsSent() {
        TestDatabase db = PostgresServer.get().newDatabase();
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl() + "?sslmode=verify-full", PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);

        assertThatThrownBy(() -> Sluice.migrate().run(migrateTo(target), Duration.ofMinutes(1)))
                .isInstanceOf(DatabaseNotTrusted.class)
                .hasMessage("database " + db.jdbcUrl() + " could not be verified over TLS (sslmode verify-full): The server does not"
                        + " support SSL. Nothing was sent to it. Check the CA bundle (sluice.aws.database-ssl-root-cert; the RDS global"
                        + " bundle for RDS) and that the host is the one its certificate names.");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void wrongPassword_isAnAuthenticationFailure_notRetryable_thatNeverEchoesThePassword() {
        TestDatabase db = PostgresServer.get().newDatabase();
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl(), PostgresServer.APP_USER, "wrong-password-42");

        assertThatThrownBy(() -> Sluice.migrate().run(migrateTo(target), Duration.ofMinutes(1)))
                .isInstanceOf(AuthenticationFailed.class)
                .hasMessageContaining("rejected the credentials of user '" + PostgresServer.APP_USER + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password-42"))
                .satisfies(e -> assertThat(((SluiceException) e).code().isTransient()).isFalse());
    }

    @Test
    void missingDatabase_isAnInvalidRequest() {
        TestDatabase db = PostgresServer.get().newDatabase();
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl() + "_nope", PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);

        assertThatThrownBy(() -> Sluice.migrate().run(migrateTo(target), Duration.ofMinutes(1)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("does not exist");
    }
}
