package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code approve} handler as deployed, through the Lambda mock event server, fed function URL requests as AWS
 * documents them (the sample {@code events/approval/approve.json}): an approver's vote reaches the command (which,
 * without AWS in this profile, says so); a principal that is no approver, a request without one, a name in the body and
 * bad fields are HTTP errors naming the problem. The votes themselves are tested against moto's DynamoDB and Step
 * Functions in {@code io.sluice.aws.ApprovalsTest}.
 */
@QuarkusTest
@TestProfile(HandlerProfiles.Approve.class)
class ApproveFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Arguments> requests() throws Exception {
        String sample = Files.readString(Path.of("events", "approval", "approve.json"));
        ObjectNode request = (ObjectNode) LambdaInvoker.JSON.readTree(sample);
        ObjectNode body = (ObjectNode) LambdaInvoker.JSON.readTree(request.get("body").asText());
        return Stream.of(
                Arguments.of(sample, 400, "io.sluice.error.InvalidRequest", "field 'execution': this function has no Step Functions"
                        + " access configured (sluice.aws.*); approvals are answered where the pipeline runs"),
                Arguments.of(sample.replace("arn:aws:sts::123456789012:assumed-role/Approvers/alice", "arn:aws:iam::123456789012:user/mallory"), 403, "io.sluice.error.NotAllowed",
                        "arn:aws:iam::123456789012:user/mallory is not an approver (sluice.approval.approvers); nothing was recorded"),
                Arguments.of(with(request, body.deepCopy().put("decision", "maybe")), 400, "io.sluice.error.InvalidRequest",
                        "field 'decision' must be 'approve' or 'reject', not 'maybe'"),
                Arguments.of(with(request, body.deepCopy().put("execution", "arn:aws:lambda:sluice-pipeline:x")), 400,
                        "io.sluice.error.InvalidRequest", "field 'execution' must be the pipeline execution's ARN from the"
                                + " approval-requested message, not 'arn:aws:lambda:sluice-pipeline:x'"),
                Arguments.of(body.toString(), 403, "io.sluice.error.NotAllowed", "the request context names no IAM principal"
                        + " (requestContext.authorizer.iam.userArn is null): this function answers its function URL with AWS_IAM auth only"));
    }

    private static String with(ObjectNode request, ObjectNode body) {
        return request.deepCopy().put("body", body.toString()).toString();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void request_reachesTheCommand_orIsAnHttpErrorSayingWhy(String request, int status, String type, String message) throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke(request);

        assertThat(result.ok()).isTrue();
        assertThat(result.body().get("statusCode").asInt()).isEqualTo(status);
        JsonNode error = LambdaInvoker.JSON.readTree(result.body().get("body").asText());
        assertThat(error.get("errorType").asText()).isEqualTo(type);
        assertThat(error.get("errorMessage").asText()).isEqualTo(message);
    }

    @org.junit.jupiter.api.Test
    void aNameInTheBody_isNoPartOfTheEvent() throws Exception {
        ObjectNode request = (ObjectNode) LambdaInvoker.JSON.readTree(Files.readString(Path.of("events", "approval", "approve.json")));
        ObjectNode body = ((ObjectNode) LambdaInvoker.JSON.readTree(request.get("body").asText())).put("approver", "bob");

        LambdaInvoker.Invocation result = lambda.invoke(with(request, body));

        assertThat(result.body().get("statusCode").asInt()).isEqualTo(400);
        assertThat(LambdaInvoker.JSON.readTree(result.body().get("body").asText()).get("errorMessage").asText())
                .startsWith("field 'approver' is not part of the approve event");
    }
}
