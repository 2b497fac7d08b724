package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

@QuarkusTest
@TestProfile(HandlerProfiles.CanaryCheck.class)
class CanaryCheckFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Path> sampleEvents() {
        return SampleEvents.forFunction("canary-check").stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheRealHandler_andItsCountersOpenTheNextWindow(Path file) throws Exception {
        TestDatabase db = Sluice.migratedDatabase();

        LambdaInvoker.Invocation first = lambda.invoke(SampleEvents.against(file, db));
        ObjectNode next = (ObjectNode) LambdaInvoker.JSON.readTree(SampleEvents.against(file, db));
        next.set("since", first.body().get("counters"));
        LambdaInvoker.Invocation second = lambda.invoke(LambdaInvoker.JSON.writeValueAsString(next));

        assertThat(first.ok()).as("%s", first.body()).isTrue();
        assertThat(first.body().get("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(first.body().get("nextStage").asInt()).isEqualTo(25);
        assertThat(first.body().get("signals")).extracting(signal -> signal.get("check").asText()).containsExactly("error-rate", "deadlocks",
                "probe-p95", "lock-waits", "oldest-transaction", "replication-lag", "connection-usage", "history", "invalid-indexes",
                "sluice-state");
        JsonNode report = second.body();
        assertThat(second.ok()).as("%s", report).isTrue();
        assertThat(report.get("windowMs").asLong()).isPositive();
        assertThat(report.get("signals").get(0).get("check").asText()).isEqualTo("error-rate");
        assertThat(report.get("signals").get(0).get("status").asText()).as("a test database's handful of transactions").isEqualTo("SKIPPED");
        assertThat(report.get("signals").get(0).get("message").asText()).startsWith("too few transactions to judge: ");
        assertThat(report.get("signals").get(2).get("message").asText()).startsWith("p95 of 10 probe run(s)");
    }

    @Test
    void missingStage_isAnInvalidRequest() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\","
                + " \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo("field 'stage' is required: the share of traffic on the new release, 1-100 (percent)");
    }
}
