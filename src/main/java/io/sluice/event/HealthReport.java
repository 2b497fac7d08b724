package io.sluice.event;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code health} result: SmallRye Health's document as it wrote it ({@code status}: {@code UP} or {@code DOWN},
 * {@code checks[]} with {@code name}, {@code status} and {@code data}), nothing added.
 */
@RegisterForReflection
public record HealthReport(@JsonValue JsonNode document) {

    public boolean up() {
        return "UP".equals(document.path("status").asText());
    }

    /** The names of the checks that are DOWN. */
    public List<String> down() {
        List<String> down = new ArrayList<>();
        document.path("checks").forEach(check -> {
            if (!"UP".equals(check.path("status").asText())) {
                down.add(check.path("name").asText());
            }
        });
        return down;
    }
}
