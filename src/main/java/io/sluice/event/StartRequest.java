package io.sluice.event;

import java.util.Iterator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The body of a {@code start} request: the pipeline execution's input, passed on as it is once checked. It names its
 * release ({@code deploymentId}, required) and its database by a Secrets Manager secret only: an input with a URL, user
 * or password is refused, so no password ever reaches an execution's history (Step Functions keeps every state's input)
 * or its logs.
 */
@RegisterForReflection
public final class StartRequest implements Request {

    private final ObjectNode input;
    private final DeploymentId deploymentId;
    private final DatabaseTarget database;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public StartRequest(ObjectNode input) {
        if (input == null) {
            throw new InvalidRequest("the body must be the pipeline's input: a JSON object with deploymentId, database and migrations");
        }
        JsonNode id = input.get("deploymentId");
        if (id == null || !id.isTextual()) {
            throw new InvalidRequest("field 'deploymentId' is required: the release the execution deploys");
        }
        this.deploymentId = DeploymentId.of(id.asText());
        JsonNode target = input.get("database");
        if (target == null || !target.isObject() || target.size() != 1 || !target.path("secretArn").isTextual()) {
            throw new InvalidRequest("field 'database' must be {\"secretArn\": ...} alone: a release started here names its database by"
                    + " its secret, so that no URL, user or password reaches the execution's history" + fields(target));
        }
        this.database = DatabaseTarget.fromSecret(target.get("secretArn").asText());
        this.input = input.deepCopy();
    }

    private static String fields(JsonNode target) {
        if (target == null || !target.isObject()) {
            return "";
        }
        StringBuilder names = new StringBuilder(" (it has ");
        for (Iterator<String> each = target.fieldNames(); each.hasNext(); ) {
            names.append(each.next()).append(each.hasNext() ? ", " : ")");
        }
        return target.size() == 0 ? "" : names.toString();
    }

    /** The execution's input, as sent. */
    public ObjectNode input() {
        return input.deepCopy();
    }

    @Override
    public DeploymentId deploymentId() {
        return deploymentId;
    }

    /** The secret the release names: checked against the secrets this deployment allows, never read here. */
    @Override
    public DatabaseTarget database() {
        return database;
    }

    @Override
    public boolean connects() {
        return false;
    }

    @Override
    public StartRequest withDatabase(DatabaseTarget replacement) {
        return this;
    }
}
