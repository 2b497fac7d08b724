package io.sluice.aws;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import io.sluice.approval.ApprovalLedger;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.InvalidRequest;

/**
 * The approvals ledger in DynamoDB: per execution (partition key {@code execution}), who started it
 * ({@code entry = #started-by}, written once, before the execution exists), one item per vote
 * ({@code entry = vote#<approver>}) and one decision ({@code entry = #decision}). A vote is written in a transaction
 * with a check that no decision exists, and only if that approver has no vote yet; the decision only if there is none.
 * Items keep who, what, when and why: the audit trail, queryable by execution.
 */
public class DynamoApprovalLedger implements ApprovalLedger {

    private static final String DECISION = "#decision";
    private static final String STARTED_BY = "#started-by";

    private final String table;
    private final Supplier<DynamoDbClient> client;

    public DynamoApprovalLedger(String table, Supplier<DynamoDbClient> clients) {
        this.table = table;
        this.client = new Lazy<>(clients);
    }

    @Override
    public void vote(String execution, String deploymentId, String approver, String decision, String reason) {
        Map<String, AttributeValue> item = new HashMap<>(key(execution, "vote#" + approver));
        item.put("deploymentId", s(deploymentId));
        item.put("approver", s(approver));
        item.put("decision", s(decision));
        item.put("at", s(Instant.now().toString()));
        if (reason != null) {
            item.put("reason", s(reason));
        }
        try {
            client.get().transactWriteItems(request -> request.transactItems(
                    check -> check.conditionCheck(c -> c.tableName(table).key(key(execution, DECISION))
                            .conditionExpression("attribute_not_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry"))),
                    put -> put.put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")))));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new InvalidRequest("field 'execution': " + execution + " is already decided; no vote is taken after that");
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new InvalidRequest("field 'approver': " + approver + " already voted on " + execution + "; each approver votes once");
            }
            // A conflicting transaction or throttling: nothing was written; the vote may be cast again.
            throw new DatabaseUnavailable("DynamoDB cancelled the vote of " + approver + " on " + execution + " ("
                    + reasons.stream().map(CancellationReason::code).toList() + "); nothing was recorded, vote again", e);
        }
    }

    @Override
    public boolean decide(String execution, String decision, String by) {
        Map<String, AttributeValue> item = new HashMap<>(key(execution, DECISION));
        item.put("decision", s(decision));
        item.put("by", s(by));
        item.put("at", s(Instant.now().toString()));
        return putOnce(item);
    }

    @Override
    public List<Vote> votes(String execution) {
        return client.get().query(request -> request.tableName(table).consistentRead(true)
                        .keyConditionExpression("execution = :execution AND begins_with(#entry, :vote)")
                        .expressionAttributeNames(Map.of("#entry", "entry"))
                        .expressionAttributeValues(Map.of(":execution", s(execution), ":vote", s("vote#"))))
                .items().stream()
                .map(item -> new Vote(item.get("approver").s(), item.get("decision").s(), item.get("at").s(),
                        item.containsKey("reason") ? item.get("reason").s() : null))
                .sorted(Comparator.comparing(Vote::at))
                .toList();
    }

    @Override
    public Optional<String> decision(String execution) {
        Map<String, AttributeValue> item = client.get().getItem(request -> request.tableName(table).consistentRead(true)
                .key(key(execution, DECISION))).item();
        return item == null || !item.containsKey("decision") ? Optional.empty() : Optional.of(item.get("decision").s());
    }

    @Override
    public void started(String execution, String deploymentId, String principal) {
        Map<String, AttributeValue> item = new HashMap<>(key(execution, STARTED_BY));
        item.put("deploymentId", s(deploymentId));
        item.put("by", s(principal));
        item.put("at", s(Instant.now().toString()));
        if (!putOnce(item)) {
            throw new InvalidRequest("field 'deploymentId': " + execution + " was started already; start it again");
        }
    }

    /** Writes {@code item} unless its entry exists; false when it did. */
    private boolean putOnce(Map<String, AttributeValue> item) {
        try {
            client.get().putItem(request -> request.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#entry)").expressionAttributeNames(Map.of("#entry", "entry")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<String> starter(String execution) {
        Map<String, AttributeValue> item = client.get().getItem(request -> request.tableName(table).consistentRead(true)
                .key(key(execution, STARTED_BY))).item();
        return item == null || !item.containsKey("by") ? Optional.empty() : Optional.of(item.get("by").s());
    }

    private static Map<String, AttributeValue> key(String execution, String entry) {
        return Map.of("execution", s(execution), "entry", s(entry));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }
}
