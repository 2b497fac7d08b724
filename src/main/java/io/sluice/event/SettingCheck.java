package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One database parameter rule, checked.
 *
 * @param rule           the rule's id, e.g. {@code max-connections}
 * @param ok             whether the database passes it
 * @param severity       what failing it means ({@code ERROR} makes the result invalid)
 * @param setting        the parameter looked at, e.g. {@code max_connections}
 * @param value          its value on the server, with unit
 * @param message        what the rule found
 * @param recommendation what to set instead (for a failed rule)
 */
@RegisterForReflection
public record SettingCheck(
        String rule,
        boolean ok,
        Finding.Severity severity,
        String setting,
        String value,
        String message,
        String recommendation) {
}
