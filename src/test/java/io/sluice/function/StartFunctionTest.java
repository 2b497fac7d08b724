package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code start} handler as deployed, through the Lambda mock event server, fed the sample function URL request
 * {@code events/approval/start.json}: a release by its secret reaches the command (which, without AWS in this profile,
 * says so); an input carrying the database's URL and password is refused before anything starts. Starting for real is
 * tested against moto in {@code io.sluice.aws.ApprovalsTest}.
 */
@QuarkusTest
@TestProfile(HandlerProfiles.Start.class)
class StartFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    private JsonNode error(String request) throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke(request);
        assertThat(result.ok()).isTrue();
        assertThat(result.body().get("statusCode").asInt()).isEqualTo(400);
        return LambdaInvoker.JSON.readTree(result.body().get("body").asText());
    }

    @Test
    void aReleaseByItsSecret_reachesTheCommand() throws Exception {
        JsonNode error = error(Files.readString(Path.of("events", "approval", "start.json")));

        assertThat(error.get("errorMessage").asText()).isEqualTo("this function has no Step Functions access configured"
                + " (sluice.aws.*); releases start where the pipeline runs");
    }

    @Test
    void anInputWithTheDatabasesPassword_isRefused() throws Exception {
        ObjectNode request = (ObjectNode) LambdaInvoker.JSON.readTree(Files.readString(Path.of("events", "approval", "start.json")));
        ObjectNode input = (ObjectNode) LambdaInvoker.JSON.readTree(request.get("body").asText());
        input.set("database", LambdaInvoker.JSON.readTree(Files.readString(Path.of("events", "pipeline", "release.json"))).get("database"));

        JsonNode error = error(request.put("body", input.toString()).toString());

        assertThat(error.get("errorType").asText()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(error.get("errorMessage").asText()).isEqualTo("field 'database' must be {\"secretArn\": ...} alone: a release"
                + " started here names its database by its secret, so that no URL, user or password reaches the execution's"
                + " history (it has jdbcUrl, username, password)");
    }
}
