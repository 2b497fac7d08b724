package io.sluice.aws;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.SfnException;

import io.sluice.approval.ApproveCommand;
import io.sluice.approval.PipelineTasks;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The pipeline's executions in Step Functions: started by name, the approvals asked for read from the execution's history (the
 * approval state's scheduled parameters, whose message carries the task token and {@code approvalsRequired}), and the
 * answer goes back with SendTaskSuccess or SendTaskFailure.
 */
public class SfnPipelineTasks implements PipelineTasks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SfnClient> client;
    private final String pipeline;
    private final String fleet;
    private final String upgrade;

    /** @param pipeline the pipeline state machine's ARN ({@code sluice.aws.pipeline-arn}); null where nothing is started */
    public SfnPipelineTasks(Supplier<SfnClient> clients, String pipeline) {
        this(clients, pipeline, null);
    }

    /** @param fleet the fleet state machine's ARN ({@code sluice.aws.fleet-arn}); null where no fleet is started */
    public SfnPipelineTasks(Supplier<SfnClient> clients, String pipeline, String fleet) {
        this(clients, pipeline, fleet, null);
    }

    /** @param upgrade the upgrade state machine's ARN ({@code sluice.aws.upgrade-arn}); null where no upgrade is started */
    public SfnPipelineTasks(Supplier<SfnClient> clients, String pipeline, String fleet, String upgrade) {
        this.client = new Lazy<>(clients);
        this.pipeline = pipeline;
        this.fleet = fleet;
        this.upgrade = upgrade;
    }

    @Override
    public String executionArn(Machine machine, String name) {
        return machine(machine).replace(":stateMachine:", ":execution:") + ":" + name;
    }

    private String machine(Machine machine) {
        String arn = switch (machine) {
            case FLEET -> fleet;
            case UPGRADE -> upgrade;
            default -> pipeline;
        };
        if (arn == null) {
            throw new InvalidRequest(switch (machine) {
                case FLEET -> "this function has no fleet to start (sluice.aws.fleet-arn is not set)";
                case UPGRADE -> "this function has no engine upgrade to start (sluice.aws.upgrade-arn is not set)";
                default -> "this function has no pipeline to start (sluice.aws.pipeline-arn is not set)";
            });
        }
        return arn;
    }

    @Override
    public void start(Machine machine, String name, String input) {
        String arn = machine(machine);
        try {
            client.get().startExecution(request -> request.stateMachineArn(arn).name(name).input(input));
        } catch (ExecutionAlreadyExistsException e) {
            throw new InvalidRequest("field 'deploymentId': an execution named " + name + " exists already");
        } catch (SfnException e) {
            throw new InvalidRequest("Step Functions refused to start " + Echo.value(name) + ": " + Echo.value(e.getMessage())
                    + "; the function's role needs states:StartExecution on the " + machine.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public int approvalsRequired(String execution, String taskToken) {
        try {
            ExecutionStatus status = client.get().describeExecution(request -> request.executionArn(execution)).status();
            if (status != ExecutionStatus.RUNNING) {
                throw new InvalidRequest("field 'execution': " + execution + " is " + status + "; nothing waits for an approval");
            }
            for (HistoryEvent event : client.get().getExecutionHistoryPaginator(request -> request.executionArn(execution)).events()) {
                if (event.type() != HistoryEventType.TASK_SCHEDULED) {
                    continue;
                }
                JsonNode message = message(event.taskScheduledEventDetails().parameters());
                if (message != null && taskToken.equals(message.path("taskToken").asText(null))) {
                    int required = message.path("approvalsRequired").asInt(1);
                    return Math.max(1, required);
                }
            }
        } catch (ExecutionDoesNotExistException e) {
            throw new InvalidRequest("field 'execution': Step Functions has no execution " + Echo.value(execution));
        } catch (SfnException e) {
            throw new InvalidRequest("field 'execution': Step Functions refused to describe " + Echo.value(execution) + ": "
                    + Echo.value(e.getMessage()) + "; the function's role needs states:DescribeExecution and states:GetExecutionHistory");
        }
        throw new InvalidRequest("field 'taskToken': " + Echo.value(execution) + " never asked for an approval with this token");
    }

    @Override
    public void approve(String taskToken, List<String> approvers) {
        ObjectNode output = JSON.createObjectNode();
        output.put("approved", true);
        approvers.forEach(output.putArray("approvers")::add);
        client.get().sendTaskSuccess(request -> request.taskToken(taskToken).output(output.toString()));
    }

    @Override
    public void reject(String taskToken, String cause) {
        client.get().sendTaskFailure(request -> request.taskToken(taskToken).error(ApproveCommand.REJECTED).cause(cause));
    }

    /** The Message of a task's scheduled parameters, an object or a string holding one; null when there is none. */
    private static JsonNode message(String parameters) {
        try {
            JsonNode message = JSON.readTree(parameters).path("Message");
            return message.isTextual() ? JSON.readTree(message.asText()) : message.isObject() ? message : null;
        } catch (IOException e) {
            return null;
        }
    }
}
