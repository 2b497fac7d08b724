package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SampleEventsTest {

    private static final List<String> FUNCTIONS = List.of("migrate", "validate", "rollback", "canary-check", "health");

    @Test
    void everySampleEvent_belongsToAFunctionWhoseTestRunsIt() {
        assertThat(SampleEvents.all()).isNotEmpty().allSatisfy(file -> assertThat(FUNCTIONS)
                .as("function for %s", file)
                .anySatisfy(function -> assertThat(SampleEvents.forFunction(function)).contains(file)));
    }
}
