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
 * or its logs. A fleet's input ({@code fleet}, no {@code database}) names each of its targets the same way, or lists them
 * in a manifest. An engine upgrade's input ({@code upgrade}, with {@code database} and {@code rdsInstance}) starts the
 * upgrade state machine.
 */
@RegisterForReflection
public final class StartRequest implements Request {

    private final ObjectNode input;
    private final DeploymentId deploymentId;
    private final DatabaseTarget database;
    private final boolean fleet;
    private final boolean upgrade;

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
        if (input.has("fleetApproval")) {
            throw new InvalidRequest("field 'fleetApproval' is refused: only a fleet execution gives it to the pipelines it starts;"
                    + " a release started here asks for its own approvals");
        }
        if (input.path("canary").has("probeRole")) {
            throw new InvalidRequest("field 'canary.probeRole' is refused: probes run as the deployment's probe role"
                    + " (sluice.probe.role), never as a role an input names");
        }
        JsonNode fleet = input.get("fleet");
        this.fleet = fleet != null && !fleet.isNull();
        JsonNode upgrade = input.get("upgrade");
        this.upgrade = upgrade != null && !upgrade.isNull();
        if (this.upgrade) {
            if (this.fleet) {
                throw new InvalidRequest("an input is a release of a fleet or an engine upgrade, not both: give 'fleet' or 'upgrade'");
            }
            if (!upgrade.isObject() || !upgrade.path("targetEngineVersion").isTextual()) {
                throw new InvalidRequest("field 'upgrade' must be an object with 'targetEngineVersion'");
            }
            if (!input.path("rdsInstance").isTextual()) {
                throw new InvalidRequest("field 'rdsInstance' is required with 'upgrade': the RDS instance to upgrade");
            }
        }
        if (this.fleet) {
            if (input.has("database")) {
                throw new InvalidRequest("a fleet's input names its databases in 'fleet', not in 'database'; give one or the other");
            }
            if (!fleet.isObject()) {
                throw new InvalidRequest("field 'fleet' must be an object with 'targets' or 'manifest'");
            }
            JsonNode targets = fleet.path("targets");
            for (int i = 0; i < targets.size(); i++) {
                secretOnly(targets.get(i).get("database"), "fleet.targets[" + i + "].database");
            }
            this.database = null;
        } else {
            this.database = secretOnly(input.get("database"), "database");
        }
        this.input = input.deepCopy();
    }

    private static DatabaseTarget secretOnly(JsonNode target, String field) {
        if (target == null || !target.isObject() || target.size() != 1 || !target.path("secretArn").isTextual()) {
            throw new InvalidRequest("field '" + field + "' must be {\"secretArn\": ...} alone: a release started here names its database by"
                    + " its secret, so that no URL, user or password reaches the execution's history" + fields(target));
        }
        return DatabaseTarget.fromSecret(target.get("secretArn").asText());
    }

    /** Whether the input is a fleet's: the fleet state machine starts it. */
    public boolean fleet() {
        return fleet;
    }

    /** Whether the input is an engine upgrade's: the upgrade state machine starts it. */
    public boolean upgrade() {
        return upgrade;
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

    /**
     * The secret the release names: checked against the secrets this deployment allows, never read here. A fleet's
     * targets are checked by the fleet function when it plans the waves, before any database is touched.
     */
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
