package io.sluice.event;

import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * Correlation id of one deployment: carried from the event to the result and into every log line. A pipeline
 * passes its own (a release tag, a build id); when absent one is generated.
 */
@RegisterForReflection
public record DeploymentId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}");

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public DeploymentId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidRequest("field 'deploymentId' must be 1-128 characters of letters, digits and ._:/@+-"
                    + " starting with a letter or digit");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DeploymentId of(String value) {
        return new DeploymentId(value);
    }

    public static DeploymentId generate() {
        return new DeploymentId("sluice-" + UUID.randomUUID());
    }

    /** The given id, or a generated one when the event had none. */
    static DeploymentId orGenerate(DeploymentId id) {
        return id == null ? generate() : id;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
