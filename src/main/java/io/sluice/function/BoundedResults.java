package io.sluice.function;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Keeps every result a function returns within what its callers take. Step Functions fails an execution when a task's
 * result is over 256 KiB, and no Catch takes that failure: a release of hundreds of scripts and lint findings would
 * stop after changing the schema, skipping its rollback. A result over {@link #MAX_RESULT_BYTES} is kept whole in
 * {@link FullReports} and returned cut: its largest list shortened (by at most half a step, so that the next largest
 * takes its share; a list inside one entry that holds most of the list is cut instead of the entries), the first
 * entries kept, until it fits; its longest texts after that if need be; every scalar left as it is. The cut result
 * says what was cut and where the whole one is: {@code truncated} maps the JSON pointer of each list or text cut to
 * its full length, and {@code fullReport} is where it was kept: the configured store (S3 deployed, a folder locally),
 * or, when none is configured or it refused the report, {@link FolderReports#temporary()} on the function's own disk;
 * null only when that failed too, which is logged.
 */
public final class BoundedResults {

    private static final Logger LOG = Logger.getLogger(BoundedResults.class);

    /**
     * The largest result returned whole: half of Step Functions' 256 KiB payload quota, so that a state holding one
     * whole result (the dry run's plan) beside the execution's input stays within the quota too.
     */
    public static final int MAX_RESULT_BYTES = 128 * 1024;

    /** What a cut text ends with. */
    static final String CUT_MARK = " [...]";

    /** The fields a cut result gets; never cut themselves. */
    static final String TRUNCATED = "truncated";
    static final String FULL_REPORT = "fullReport";

    private final ObjectMapper mapper;
    private final FullReports reports;
    private final int maxBytes;

    public BoundedResults(ObjectMapper mapper, FullReports reports) {
        this(mapper, reports, MAX_RESULT_BYTES);
    }

    BoundedResults(ObjectMapper mapper, FullReports reports, int maxBytes) {
        this.mapper = mapper;
        this.reports = reports;
        this.maxBytes = maxBytes;
    }

    /** {@code result} as the JSON to return: whole when it fits, else cut, with the whole one kept. */
    public byte[] bound(String function, String deploymentId, Object result) {
        byte[] whole = bytes(result);
        if (whole.length <= maxBytes) {
            return whole;
        }
        JsonNode tree = mapper.valueToTree(result);
        if (!tree.isObject()) {
            throw new IllegalStateException(function + " returned " + tree.getNodeType() + ", not a result record");
        }
        Optional<String> kept = reports.keep(function, deploymentId, whole);
        if (kept.isEmpty()) {
            // Where the store was not configured or refused it: the function's own disk, named, rather than no trace.
            kept = FolderReports.temporary().keep(function, deploymentId, whole);
        }
        ObjectNode cut = (ObjectNode) tree;
        ObjectNode truncated = cut.putObject(TRUNCATED);
        cut.put(FULL_REPORT, kept.orElse(null));
        for (long size = bytes(cut).length; size > maxBytes; size = bytes(cut).length) {
            if (!shortenLargestList(cut, truncated, size - maxBytes) && !halveLongestText(cut, truncated)) {
                throw new IllegalStateException(function + "'s result is over " + maxBytes + " bytes with every list and text cut");
            }
        }
        LOG.infof("%s's result was %d bytes, over %d: returned cut (%s), the whole one %s", function, whole.length, maxBytes, truncated,
                kept.map(where -> "kept at " + where).orElse("not kept"));
        return bytes(cut);
    }

    /** Drops entries from the end of the list whose JSON is the largest; false when no list has an entry left. */
    private boolean shortenLargestList(ObjectNode result, ObjectNode truncated, long excess) {
        Largest largest = new Largest(ArrayNode.class);
        measure(result, "", largest);
        if (largest.node == null) {
            return false;
        }
        // A list inside one of its entries that holds most of it is the detail to cut, not the entries around it.
        for (Largest inner = within(largest); inner.node != null && 2 * inner.bytes > largest.bytes; inner = within(largest)) {
            largest = inner;
        }
        ArrayNode list = (ArrayNode) largest.node;
        truncated.putIfAbsent(largest.pointer, mapper.getNodeFactory().numberNode(list.size()));
        long perEntry = Math.max(1, largest.bytes / list.size());
        int drop = (int) Math.max(1, Math.min((list.size() + 1) / 2, (excess + perEntry - 1) / perEntry));
        int keep = list.size() - drop;
        for (int i = list.size() - 1; i >= keep; i--) {
            list.remove(i);
        }
        forgetBelowRemoved(truncated, largest.pointer, keep);
        return true;
    }

    /** The largest list inside the entries of {@code list}. */
    private Largest within(Largest list) {
        Largest inner = new Largest(ArrayNode.class);
        for (int i = 0; i < list.node.size(); i++) {
            measure(list.node.get(i), list.pointer + "/" + i, inner);
        }
        return inner;
    }

    /** Halves the longest text; false when none is long enough to be worth it. */
    private boolean halveLongestText(ObjectNode result, ObjectNode truncated) {
        Largest longest = new Largest(TextNode.class);
        measure(result, "", longest);
        if (longest.node == null || longest.node.textValue().length() <= 4 * CUT_MARK.length()) {
            return false;
        }
        String text = longest.node.textValue();
        truncated.putIfAbsent(longest.pointer, mapper.getNodeFactory().numberNode(text.length()));
        String uncut = text.endsWith(CUT_MARK) ? text.substring(0, text.length() - CUT_MARK.length()) : text;
        replace(result, longest.pointer, new TextNode(uncut.substring(0, uncut.length() / 2) + CUT_MARK));
        return true;
    }

    /** The node of one type whose JSON is the largest (a list only while it has entries). */
    private static final class Largest {
        private final Class<? extends JsonNode> type;
        private JsonNode node;
        private String pointer;
        private long bytes = -1;

        Largest(Class<? extends JsonNode> type) {
            this.type = type;
        }

        void offer(JsonNode candidate, String at, long size) {
            if (type.isInstance(candidate) && !(candidate.isArray() && candidate.isEmpty()) && size > bytes) {
                node = candidate;
                pointer = at;
                bytes = size;
            }
        }
    }

    /** The compact JSON size of {@code node}, offering every node below it to {@code largest} on the way. */
    private long measure(JsonNode node, String pointer, Largest largest) {
        long size;
        if (node.isObject()) {
            size = 2;
            int fields = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); fields++) {
                Map.Entry<String, JsonNode> field = it.next();
                boolean own = pointer.isEmpty() && (field.getKey().equals(TRUNCATED) || field.getKey().equals(FULL_REPORT));
                String at = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                size += bytes(field.getKey()).length + 1 + (own ? bytes(field.getValue()).length : measure(field.getValue(), at, largest));
            }
            size += Math.max(0, fields - 1);
        } else if (node.isArray()) {
            size = 2 + Math.max(0, node.size() - 1);
            for (int i = 0; i < node.size(); i++) {
                size += measure(node.get(i), pointer + "/" + i, largest);
            }
        } else {
            size = bytes(node).length;
        }
        largest.offer(node, pointer, size);
        return size;
    }

    /** Entries recorded under list items that were just removed would point at nothing. */
    private static void forgetBelowRemoved(ObjectNode truncated, String listPointer, int kept) {
        List<String> stale = new ArrayList<>();
        truncated.fieldNames().forEachRemaining(recorded -> {
            if (recorded.startsWith(listPointer + "/")
                    && Integer.parseInt(recorded.substring(listPointer.length() + 1).split("/", 2)[0]) >= kept) {
                stale.add(recorded);
            }
        });
        truncated.remove(stale);
    }

    private static void replace(ObjectNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last.replace("~1", "/").replace("~0", "~"), value);
        }
    }

    private byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result failed to serialise", e);
        }
    }
}
