package io.sluice.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What matters of one plan ({@code EXPLAIN (FORMAT JSON)}): its total cost, how each relation is read (sequential,
 * index, index-only or bitmap scan, and with which index), and the joins' methods in plan order.
 *
 * @param cost     the top node's total cost
 * @param accesses each scan of a relation, in plan order (a relation read twice appears twice)
 * @param joins    each join node's method, in plan order
 */
record PlanShape(double cost, List<Access> accesses, List<String> joins) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One read of a relation.
     *
     * @param relation the relation's name
     * @param method   the node: {@code Seq Scan}, {@code Parallel Seq Scan}, {@code Index Scan}, {@code Index Only Scan},
     *                 {@code Bitmap Heap Scan}, ...
     * @param index    the index an index scan uses, or the indexes a bitmap scan combines; null for other scans
     * @param bounded  whether an index condition bounds what is read (an index scan with {@code Index Cond}, a bitmap
     *                 scan); an index scan without one reads every row, in the index's order
     * @param rows     the planner's row estimate
     */
    record Access(String relation, String method, String index, boolean bounded, double rows) {

        /** Read through an index condition: only the rows it selects. */
        boolean selective() {
            return index != null && bounded;
        }

        /** Read whole: a sequential scan, or an index scan without an index condition. */
        boolean whole() {
            return method.endsWith("Seq Scan") || index != null && !bounded;
        }

        /** "Index Scan using orders_customer_idx on orders (12 rows)". */
        String describe() {
            return method + (index == null ? "" : " using " + index) + " on " + relation + " (" + Math.round(rows) + " rows"
                    + (index != null && !bounded ? ", no index condition: every row" : "") + ")";
        }

        boolean sameWay(Access other) {
            return method.equals(other.method) && Objects.equals(index, other.index) && bounded == other.bounded;
        }
    }

    static PlanShape parse(String explainJson) {
        JsonNode plan;
        try {
            plan = JSON.readTree(explainJson).path(0).path("Plan");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN (FORMAT JSON) returned what is not JSON", e);
        }
        List<Access> accesses = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        walk(plan, accesses, joins);
        return new PlanShape(plan.path("Total Cost").asDouble(), accesses, joins);
    }

    private static void walk(JsonNode node, List<Access> accesses, List<String> joins) {
        String type = node.path("Node Type").asText();
        if (node.has("Relation Name")) {
            String method = (node.path("Parallel Aware").asBoolean() ? "Parallel " + type : type)
                    + ("Backward".equals(node.path("Scan Direction").asText()) ? " Backward" : "");
            String index = node.has("Index Name") ? node.path("Index Name").asText() : null;
            boolean bounded = node.has("Index Cond");
            if ("Bitmap Heap Scan".equals(type)) {
                List<String> indexes = new ArrayList<>();
                bitmapIndexes(node, indexes);
                index = indexes.isEmpty() ? null : String.join(" + ", indexes);
                bounded = true;
            }
            accesses.add(new Access(node.path("Relation Name").asText(), method, index, bounded, node.path("Plan Rows").asDouble()));
        }
        if (type.endsWith("Join") || "Nested Loop".equals(type)) {
            joins.add(type);
        }
        for (JsonNode child : node.path("Plans")) {
            walk(child, accesses, joins);
        }
    }

    private static void bitmapIndexes(JsonNode node, List<String> indexes) {
        for (JsonNode child : node.path("Plans")) {
            if (child.has("Index Name")) {
                indexes.add(child.path("Index Name").asText());
            }
            bitmapIndexes(child, indexes);
        }
    }

    /**
     * How this plan (after) reads what {@code before} read: one line per relation whose access changed, and one for
     * the joins when their methods or order changed.
     */
    Changes changesFrom(PlanShape before) {
        Map<String, List<Access>> was = byRelation(before.accesses);
        Map<String, List<Access>> now = byRelation(accesses);
        List<String> lines = new ArrayList<>();
        Access worsened = null;
        Access worsenedFrom = null;
        Access changed = null;
        Access changedFrom = null;
        for (Map.Entry<String, List<Access>> entry : was.entrySet()) {
            List<Access> after = now.getOrDefault(entry.getKey(), List.of());
            for (int i = 0; i < entry.getValue().size(); i++) {
                Access old = entry.getValue().get(i);
                if (i >= after.size()) {
                    lines.add(old.describe() + " → no longer read");
                    continue;
                }
                Access access = after.get(i);
                if (!old.sameWay(access)) {
                    lines.add(old.describe() + " → " + access.describe());
                    if (worsened == null && old.selective() && access.whole()) {
                        worsened = access;
                        worsenedFrom = old;
                    }
                    if (changed == null) {
                        changed = access;
                        changedFrom = old;
                    }
                }
            }
        }
        for (Map.Entry<String, List<Access>> entry : now.entrySet()) {
            List<Access> old = was.getOrDefault(entry.getKey(), List.of());
            for (int i = old.size(); i < entry.getValue().size(); i++) {
                lines.add("now read: " + entry.getValue().get(i).describe());
            }
        }
        if (!before.joins.equals(joins)) {
            lines.add("joins: " + describeJoins(before.joins) + " → " + describeJoins(joins));
        }
        Access named = worsened != null ? worsened : changed;
        Access namedFrom = worsened != null ? worsenedFrom : changedFrom;
        return new Changes(named == null ? null : named.relation(), worsened != null, namedFrom == null ? null : namedFrom.describe(),
                named == null ? null : named.describe(), lines);
    }

    private static String describeJoins(List<String> joins) {
        return joins.isEmpty() ? "none" : String.join(", ", joins);
    }

    private static Map<String, List<Access>> byRelation(List<Access> accesses) {
        Map<String, List<Access>> by = new LinkedHashMap<>();
        for (Access access : accesses) {
            by.computeIfAbsent(access.relation(), relation -> new ArrayList<>()).add(access);
        }
        return by;
    }

    /**
     * @param relation the relation whose read changed for the worse (through an index condition before, whole now), else
     *                 the first whose read changed; null when none did
     * @param whole    whether {@code relation} was read through an index condition and is now read whole
     * @param before   how it was read
     * @param after    how it is read
     * @param lines    every change
     */
    record Changes(String relation, boolean whole, String before, String after, List<String> lines) {
    }
}
