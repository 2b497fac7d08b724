package io.sluice.lint;

import java.util.Locale;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How much a lint finding weighs. {@code ERROR} fails a pull request and makes a preflight invalid. */
@RegisterForReflection
public enum LintSeverity {
    ERROR, WARNING, INFO, OFF;

    public static LintSeverity parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    /** The SARIF level for this severity. */
    public String sarifLevel() {
        return switch (this) {
            case ERROR -> "error";
            case WARNING -> "warning";
            default -> "note";
        };
    }
}
