package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

@QuarkusTest
@TestProfile(HandlerProfiles.Rollback.class)
class RollbackFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Path> sampleEvents() {
        return SampleEvents.forFunction("rollback").stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheRealHandler(Path file) throws Exception {
        TestDatabase db = Sluice.migratedDatabase();
        JsonNode shipped = LambdaInvoker.JSON.readTree(file.toFile());

        LambdaInvoker.Invocation result = lambda.invoke(SampleEvents.against(file, db));

        assertThat(result.ok()).as("%s: %s", file, result.body()).isTrue();
        JsonNode report = result.body();
        assertThat(report.get("versionBefore").asText()).isEqualTo("4");
        if (shipped.path("dryRun").asBoolean()) {
            assertThat(report.get("status").asText()).isEqualTo("PLANNED");
            assertThat(report.get("plan")).hasSize(4);
            assertThat(report.get("blockers")).isEmpty();
            assertThat(db.history()).hasSize(4);
        } else {
            assertThat(report.get("status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(report.get("verified").asBoolean()).isTrue();
            assertThat(report.get("versionAfter").asText()).isEqualTo(shipped.get("targetVersion").asText());
            assertThat(db.rows("SELECT requested_by, reason, result FROM sluice.rollback_audit")).containsExactly(
                    shipped.get("requestedBy").asText() + "|" + shipped.get("reason").asText() + "|ROLLED_BACK");
        }
    }

    @Test
    void onDemandRollbackWithoutAReason_isRejected_andChangesNothing() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();

        LambdaInvoker.Invocation result = lambda.invoke("{\"targetVersion\": \"2\", \"database\": " + db.targetJson() + "}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).contains("field 'reason' is required");
        assertThat(db.history()).hasSize(4);
    }

    @Test
    void snapshotStrategy_needsAnInstance_keepsItsFieldsToItself_andWithoutRdsAccessIsRefused_changingNothing() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();
        String common = "\"targetVersion\": \"2\", \"reason\": \"checkout broke\", \"database\": " + db.targetJson();

        LambdaInvoker.Invocation noInstance = lambda.invoke("{\"strategy\": \"snapshot\", " + common + "}");
        LambdaInvoker.Invocation badName = lambda.invoke("{\"strategy\": \"snapshot\", \"rdsInstance\": \"app--db\", " + common + "}");
        LambdaInvoker.Invocation withUndo = lambda.invoke("{\"rdsInstance\": \"app-db\", " + common + "}");
        LambdaInvoker.Invocation noRds = lambda.invoke("{\"strategy\": \"snapshot\", \"rdsInstance\": \"app-db\", " + common + "}");

        assertThat(noInstance.errorMessage()).isEqualTo("field 'rdsInstance' is required with strategy snapshot: the RDS instance"
                + " whose pre-change snapshot is restored");
        assertThat(badName.errorMessage()).isEqualTo("field 'rdsInstance' holds 'app--db': an RDS identifier is a letter, then"
                + " letters, digits and single hyphens, at most 63 characters");
        assertThat(withUndo.errorMessage()).isEqualTo("field 'rdsInstance' goes with strategy snapshot; this rollback runs the undo"
                + " scripts");
        assertThat(noRds.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(noRds.errorMessage()).isEqualTo("field 'strategy': snapshot needs RDS access, and this function has none"
                + " configured (sluice.aws.*); nothing was changed");
        assertThat(db.history()).hasSize(4);
        assertThat(db.rows("SELECT count(*) FROM sluice.rollback_audit")).containsExactly("0");
    }

    @Test
    void rollbackWithoutATarget_isRejected() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"reason\": \"x\", \"database\": "
                + "{\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).contains("field 'targetVersion' is required");
    }

    @Test
    void nulInReasonOrRequestedBy_isAnInvalidRequest_beforeConnecting_andChangesNothing() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();

        LambdaInvoker.Invocation reason = lambda.invoke("{\"targetVersion\": \"2\", \"reason\": \"bad\\u0000day\", \"database\": "
                + db.targetJson() + "}");
        LambdaInvoker.Invocation requestedBy = lambda.invoke("{\"targetVersion\": \"2\", \"reason\": \"x\", \"requestedBy\":"
                + " \"op\\u0000\", \"database\": " + db.targetJson() + "}");

        assertThat(reason.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(reason.errorMessage()).startsWith("field 'reason' is required: at most 2000 characters, no control characters");
        assertThat(requestedBy.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(requestedBy.errorMessage()).isEqualTo("field 'requestedBy' must be 1-200 characters without control characters");
        assertThat(db.history()).hasSize(4);
        assertThat(db.rows("SELECT count(*) FROM sluice.rollback_audit")).containsExactly("0");
    }

    @Test
    void refusedRollback_surfacesAsRollbackFailed() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.historyRow(1, "7", "legacy", "V7__legacy.sql", 1);

        LambdaInvoker.Invocation result = lambda.invoke("{\"targetVersion\": \"0\", \"reason\": \"test\", \"database\": "
                + db.targetJson() + "}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.RollbackFailed");
        assertThat(result.errorMessage()).contains("version 7 (V7__legacy.sql) has no undo script").contains("nothing was changed");
    }
}
