package io.sluice.function;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.DeploymentId;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateRequest;

/**
 * Reads events and writes results. Strict on input (unknown fields, wrong types and trailing garbage are errors,
 * never guesses) and turns every reading problem into an {@link InvalidRequest} that names the field.
 */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // "" or " " is not false, 0 or absent: a caller who sent it meant something, so say it is wrong.
            .withCoercionConfigDefaults(config -> config
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false))
            .build();

    /** Parses an event of {@code type}; the deployment id, when readable, is in the log context even if parsing fails. */
    public <T> T read(byte[] event, Class<T> type) {
        JsonNode tree = tree(event);
        LogContext.deployment(deploymentIdOf(tree));
        try {
            return mapper.treeToValue(tree, type);
        } catch (InvalidTypeIdException e) {
            throw modeError(e);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequest("field '" + path(e) + "' is not part of the " + eventName(type, e.getReferringClass())
                    + " event; known fields: "
                    + known(e.getKnownPropertyIds()), e);
        } catch (JsonMappingException e) {
            InvalidRequest fromValue = causeOfType(e, InvalidRequest.class);
            if (fromValue != null) {
                throw fieldError(path(e), fromValue);
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                throw new InvalidRequest("field '" + path(e) + "' must be " + expected(mismatch.getTargetType()), e);
            }
            throw new InvalidRequest("field '" + path(e) + "' cannot be read: " + Echo.value(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new InvalidRequest("event cannot be read: " + Echo.value(e.getOriginalMessage()), e);
        }
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result record failed to serialise", e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private JsonNode tree(byte[] event) {
        JsonNode tree;
        try {
            tree = mapper.readTree(event);
        } catch (JsonParseException e) {
            throw new InvalidRequest("event is not valid JSON: " + Echo.value(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new InvalidRequest("event cannot be read: " + Echo.value(e.getMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidRequest("event is empty; send a JSON object");
        }
        if (!tree.isObject()) {
            throw new InvalidRequest("event must be a JSON object, got " + tree.getNodeType().toString().toLowerCase());
        }
        return tree;
    }

    private static DeploymentId deploymentIdOf(JsonNode tree) {
        JsonNode id = tree.get("deploymentId");
        if (id == null || !id.isTextual()) {
            return null;
        }
        try {
            return DeploymentId.of(id.textValue());
        } catch (InvalidRequest e) {
            return null;
        }
    }

    private static InvalidRequest fieldError(String path, InvalidRequest error) {
        if (path.isEmpty() || error.getMessage().startsWith("field '")) {
            return error;
        }
        return new InvalidRequest("field '" + path + "' " + error.getMessage(), error);
    }

    /** The field's path in the event, as a message may quote it (a field name is event input too). */
    private static String path(JsonMappingException e) {
        return Echo.value(e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "["));
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** "migrate", "rollback", "validate", or "validate preflight" when the field sits in the record of one validate mode. */
    private static String eventName(Class<?> type, Class<?> referring) {
        for (JsonSubTypes.Type subtype : ValidateRequest.class.getAnnotation(JsonSubTypes.class).value()) {
            if (subtype.value() == referring) {
                return "validate " + subtype.name();
            }
        }
        return type.getSimpleName().replace("Request", "").toLowerCase();
    }

    /** The {@code mode} of a validate event is what picks its record: missing or unknown, it is the field to name. */
    private static InvalidRequest modeError(InvalidTypeIdException e) {
        String modes = Arrays.stream(ValidateMode.values()).map(ValidateMode::json).collect(Collectors.joining(", "));
        if (e.getTypeId() == null) {
            return new InvalidRequest("field 'mode' is required: one of " + modes, e);
        }
        return new InvalidRequest("field 'mode' must be one of " + modes + ", got '" + Echo.value(e.getTypeId()) + "'", e);
    }

    private static String expected(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == DatabaseTarget.class) {
            return "an object {\"jdbcUrl\": ..., \"username\": ..., \"password\": ...}";
        }
        if (type == String.class || type.isEnum() || List.of(type.getDeclaredMethods()).stream()
                .anyMatch(method -> method.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonCreator.class))) {
            return "a string";
        }
        return "a JSON object";
    }

    private static <E extends Throwable> E causeOfType(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
