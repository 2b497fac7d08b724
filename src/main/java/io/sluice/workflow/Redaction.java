package io.sluice.workflow;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What a local run writes for people to read (its trace, the objects standing in for S3, the input it was given) with
 * every secret taken out: a member whose name says it holds one ({@code password}, {@code secretString},
 * {@code masterPassword}, any name holding {@code password} or {@code secret} but {@code secretArn}) is written
 * {@value #REDACTED}, and each such value found anywhere else (a JDBC URL's {@code password=}, a message quoting an
 * event, JSON inside a string) is replaced too. The run itself keeps using the real values; only what is written is
 * redacted.
 */
public final class Redaction {

    /** What a secret reads as where it was taken out. */
    public static final String REDACTED = "(redacted)";
    /** Values shorter than this are not searched for in other text: a one-letter password would blank half a trace. */
    private static final int MIN_SEARCHED = 4;

    private final Set<String> secrets = new LinkedHashSet<>();

    /** Redaction of the secrets {@code documents} hold (by member name), and of those found in later documents. */
    public Redaction(JsonNode... documents) {
        for (JsonNode document : documents) {
            learn(document);
        }
    }

    /** Whether a member of this name holds a secret. */
    static boolean secretMember(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") && !lower.endsWith("arn") && !lower.endsWith("arns");
    }

    /** Remembers the secrets {@code document} holds, so that they are also taken out of text elsewhere. */
    public synchronized void learn(JsonNode document) {
        if (document == null) {
            return;
        }
        if (document.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = document.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (secretMember(field.getKey()) && field.getValue().isTextual() && field.getValue().asText().length() >= MIN_SEARCHED) {
                    secrets.add(field.getValue().asText());
                } else {
                    learn(field.getValue());
                }
            }
        } else if (document.isArray()) {
            document.forEach(this::learn);
        } else if (document.isTextual() && document.asText().startsWith("{")) {
            try {
                learn(Paths.JSON.readTree(document.asText()));
            } catch (JsonProcessingException e) {
                // text that only looks like JSON: nothing to learn
            }
        }
    }

    /** A copy of {@code document} with every secret taken out; {@code document} itself is left as it is. */
    public JsonNode redacted(JsonNode document) {
        learn(document);
        return redact(document.deepCopy());
    }

    /** {@code text} (JSON or not) with every secret known here taken out. */
    public String redacted(String text) {
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return Paths.JSON.writeValueAsString(redacted(Paths.JSON.readTree(text)));
            } catch (JsonProcessingException e) {
                // not JSON after all: as text
            }
        }
        return replaceKnown(text);
    }

    private JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (secretMember(name) && value.isValueNode() && !value.isNull()) {
                    object.put(name, REDACTED);
                } else {
                    object.set(name, redact(value));
                }
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(array.get(i)));
            }
            return array;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    return new TextNode(Paths.JSON.writeValueAsString(redact(Paths.JSON.readTree(text))));
                } catch (JsonProcessingException e) {
                    // not JSON: as text
                }
            }
            String replaced = replaceKnown(text);
            return replaced.equals(text) ? node : new TextNode(replaced);
        }
        return node;
    }

    private synchronized String replaceKnown(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, REDACTED);
        }
        return out;
    }
}
