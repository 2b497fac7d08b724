package io.sluice.function;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.event.AppliedScript;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackStatus;
import io.sluice.event.SchemaDifference;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;

/**
 * The notifications a function's result calls for, in the one message format ({@code type}, {@code deploymentId},
 * then the type's fields): {@code drift-found} when a drift check found objects changed outside migrations, and
 * {@code rollback-performed} when a rollback undid versions. Nothing else is notified by the functions.
 */
final class FunctionNotices {

    /** The differences a drift message lists; the function's result has all of them and the reconcile script. */
    static final int MAX_LISTED = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionNotices() {
    }

    static Optional<ObjectNode> of(String function, Object result) {
        if (result instanceof ValidateReport report && report.mode() == ValidateMode.DRIFT && Boolean.TRUE.equals(report.drift())) {
            ObjectNode message = start("drift-found", report.deploymentId().value(), function, report.database(), report.schema());
            message.put("version", report.currentVersion());
            message.put("differences", report.differences().size());
            ArrayNode listed = message.putArray("changed");
            report.differences().stream().limit(MAX_LISTED).map(SchemaDifference::summary).forEach(listed::add);
            message.put("summary", report.differences().size() + " object(s) of schema " + report.schema() + " differ from version "
                    + report.currentVersion() + "'s snapshot; the drift check's result holds the SQL that reconciles them");
            return Optional.of(message);
        }
        if (result instanceof RollbackReport report && report.status() == RollbackStatus.ROLLED_BACK) {
            ObjectNode message = start("rollback-performed", report.deploymentId().value(), function, report.database(), report.schema());
            message.put("from", report.versionBefore());
            message.put("to", report.versionAfter());
            ArrayNode undone = message.putArray("undone");
            report.undone().stream().map(AppliedScript::script).forEach(undone::add);
            message.put("verified", report.verified());
            message.put("snapshotSha256", report.snapshotSha256());
            if (report.auditId() != null) {
                message.put("auditId", report.auditId());
            }
            message.put("summary", "schema " + report.schema() + " rolled back from " + report.versionBefore() + " to "
                    + report.versionAfter() + (report.verified() ? ", verified against its snapshot" : ""));
            return Optional.of(message);
        }
        return Optional.empty();
    }

    /** A drift check with {@code failOnDrift} ended in DriftDetected: its (bounded) message lists the differences. */
    static ObjectNode driftDetected(String function, String deploymentId, String detail) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "drift-found");
        message.put("deploymentId", deploymentId);
        message.put("function", function);
        message.put("summary", detail);
        return message;
    }

    private static ObjectNode start(String type, String deploymentId, String function, String database, String schema) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", type);
        message.put("deploymentId", deploymentId);
        message.put("function", function);
        message.put("database", database);
        message.put("schema", schema);
        return message;
    }
}
