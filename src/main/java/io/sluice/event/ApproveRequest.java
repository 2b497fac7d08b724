package io.sluice.event;

import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The body of an {@code approve} request: a vote on a pipeline execution waiting at its approval state, with the
 * execution and task token from the {@code approval-requested} message. Who votes is not a field: it is the caller the
 * function URL authenticated ({@link Caller}), so nobody can vote as someone else.
 *
 * @param deploymentId correlation id (the message's)
 * @param execution    the execution's ARN (the message's {@code execution})
 * @param taskToken    the token the approval state waits with (the message's {@code taskToken})
 * @param decision     {@code approve} or {@code reject}
 * @param reason       why, for the audit trail (optional)
 */
@RegisterForReflection
public record ApproveRequest(DeploymentId deploymentId, String execution, String taskToken, String decision, String reason)
        implements Request {

    private static final Pattern EXECUTION = Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:[A-Za-z0-9_.:-]{1,160}");

    public ApproveRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        if (execution == null || !EXECUTION.matcher(execution).matches()) {
            throw new InvalidRequest("field 'execution' must be the pipeline execution's ARN from the approval-requested message, not '"
                    + Echo.value(execution) + "'");
        }
        if (taskToken == null || taskToken.isBlank() || taskToken.length() > 1024 || taskToken.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest("field 'taskToken' is required: the token from the approval-requested message (at most 1,024 characters)");
        }
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            throw new InvalidRequest("field 'decision' must be 'approve' or 'reject', not '" + Echo.value(decision) + "'");
        }
        if (reason != null && (reason.length() > 1000 || reason.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
            throw new InvalidRequest("field 'reason' must be at most 1,000 characters without control characters");
        }
    }

    public boolean rejects() {
        return decision.equals("reject");
    }

    /** An approval involves no database. */
    @Override
    public DatabaseTarget database() {
        return null;
    }

    @Override
    public ApproveRequest withDatabase(DatabaseTarget replacement) {
        return this;
    }
}
