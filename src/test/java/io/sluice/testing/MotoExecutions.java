package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** What the end-to-end tests on moto's Step Functions engine ask of an execution: its approval token, its end, its path. */
public final class MotoExecutions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MotoExecutions() {
    }

    /** The task token the execution's approval state published, once it waits; the execution must still run. */
    public static String awaitApprovalToken(SfnClient sfn, String execution) throws Exception {
        for (int poll = 0; poll < 600; poll++) {
            for (HistoryEvent event : sfn.getExecutionHistory(request -> request.executionArn(execution).maxResults(1000)).events()) {
                if (event.type() == HistoryEventType.TASK_SCHEDULED
                        && event.taskScheduledEventDetails().resource().endsWith("publish.waitForTaskToken")) {
                    JsonNode message = JSON.readTree(event.taskScheduledEventDetails().parameters()).path("Message");
                    message = message.isTextual() ? JSON.readTree(message.asText()) : message;
                    return message.path("taskToken").asText();
                }
            }
            ExecutionStatus status = sfn.describeExecution(request -> request.executionArn(execution)).status();
            assertThat(status).as(failure(sfn, execution)).isEqualTo(ExecutionStatus.RUNNING);
            Thread.sleep(100);
        }
        throw new AssertionError("the execution never asked for an approval");
    }

    /** The execution's status once it ends (RUNNING after two minutes). */
    public static ExecutionStatus awaitEnd(SfnClient sfn, String execution) throws InterruptedException {
        for (int poll = 0; poll < 1_200; poll++) {
            ExecutionStatus status = sfn.describeExecution(request -> request.executionArn(execution)).status();
            if (status != ExecutionStatus.RUNNING) {
                return status;
            }
            Thread.sleep(100);
        }
        return ExecutionStatus.RUNNING;
    }

    /** The states entered and how the execution failed, for an assertion's description. */
    public static String failure(SfnClient sfn, String execution) {
        List<String> lines = new ArrayList<>();
        for (HistoryEvent event : sfn.getExecutionHistory(request -> request.executionArn(execution).maxResults(1000)).events()) {
            if (event.stateEnteredEventDetails() != null) {
                lines.add(event.stateEnteredEventDetails().name());
            } else if (event.taskFailedEventDetails() != null) {
                lines.add("  " + event.taskFailedEventDetails().error() + ": " + event.taskFailedEventDetails().cause());
            } else if (event.executionFailedEventDetails() != null) {
                lines.add("FAILED " + event.executionFailedEventDetails().error() + ": " + event.executionFailedEventDetails().cause());
            }
        }
        return String.join("\n", lines);
    }

    /** A zip holding an empty {@code bootstrap}: the code of a function whose invocations the bridge answers. */
    public static byte[] emptyZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("bootstrap"));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
