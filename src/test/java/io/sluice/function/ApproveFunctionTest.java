package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code approve} handler as deployed, through the Lambda mock event server: the sample event parses and reaches
 * the command (which, without AWS in this profile, says so); bad events are typed errors naming the field. The votes
 * themselves are tested against moto's DynamoDB and Step Functions in {@code io.sluice.aws.ApprovalsTest}.
 */
@QuarkusTest
@TestProfile(HandlerProfiles.Approve.class)
class ApproveFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Arguments> events() throws Exception {
        String sample = Files.readString(Path.of("events", "approval", "approve.json"));
        return Stream.of(
                Arguments.of(sample, "field 'execution': this function has no Step Functions access configured (sluice.aws.*);"
                        + " approvals are answered where the pipeline runs"),
                Arguments.of(sample.replace("\"approve\",", "\"maybe\","), "field 'decision' must be 'approve' or 'reject', not 'maybe'"),
                Arguments.of(sample.replace("alice@example.com", "alice; DROP TABLE"),
                        "field 'approver' is required: a user name or e-mail of at most 128 of A-Za-z0-9._@+-"),
                Arguments.of(sample.replace("arn:aws:states:us-east-1:123456789012:execution:", "arn:aws:lambda:"),
                        "field 'execution' must be the pipeline execution's ARN from the approval-requested message, not"
                                + " 'arn:aws:lambda:sluice-pipeline:release-2026.12.01-1'"),
                Arguments.of("{\"execution\": \"arn:aws:states:us-east-1:123456789012:execution:p:e\", \"approver\": \"bob\","
                        + " \"decision\": \"approve\"}", "field 'taskToken' is required: the token from the approval-requested message"
                        + " (at most 1,024 characters)"));
    }

    @ParameterizedTest
    @MethodSource("events")
    void event_reachesTheCommand_orIsATypedErrorNamingTheField(String event, String message) throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke(event);

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo(message);
    }
}
