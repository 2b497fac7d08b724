package io.sluice.local;

import com.fasterxml.jackson.databind.JsonNode;

/** One-line (plus detail lines) descriptions of results, for people watching a local run. */
final class Describe {

    private Describe() {
    }

    static String migrate(JsonNode result) {
        boolean planned = result.get("status").asText().equals("PLANNED");
        StringBuilder text = new StringBuilder(String.format("%s: version %s -> %s, %d %s, %d lock retries",
                result.get("status").asText(), version(result.get("versionBefore")), version(result.get("versionAfter")),
                (planned ? result.get("plan") : result.get("applied")).size(), planned ? "planned" : "applied",
                result.get("lockRetries").size()));
        JsonNode rows = result.get("applied").isEmpty() ? result.get("plan") : result.get("applied");
        for (JsonNode script : rows) {
            text.append(String.format("%n  %-4s %-40s %s%s", version(script.get("version")), script.get("script").asText(),
                    script.get("transactional").asBoolean() ? "in a transaction" : "outside a transaction",
                    script.has("executionMs") ? ", " + script.get("executionMs").asLong() + " ms" : ""));
        }
        return text.toString();
    }

    static String validate(JsonNode result) {
        StringBuilder text = new StringBuilder(String.format("%s: current version %s, %d pending, %d finding(s)",
                result.get("valid").asBoolean() ? "VALID" : "INVALID", version(result.get("currentVersion")),
                result.get("pending").size(), result.get("findings").size()));
        if (result.has("snapshotSha256")) {
            text.append(String.format(", %d difference(s) from snapshot of version %s (%s...)", result.get("differences").size(),
                    result.get("snapshotVersion").asText(), result.get("snapshotSha256").asText().substring(0, 12)));
        }
        if (result.has("drift")) {
            text.append(result.get("drift").asBoolean() ? ", DRIFT" : ", no drift");
        }
        for (JsonNode finding : result.get("findings")) {
            text.append(String.format("%n  %s %s: %s", finding.get("severity").asText(), finding.get("code").asText(),
                    finding.get("message").asText()));
        }
        return text.toString();
    }

    static String rollback(JsonNode result) {
        StringBuilder text = new StringBuilder(String.format("%s: version %s -> %s, %d step(s), %d blocker(s)",
                result.get("status").asText(), version(result.get("versionBefore")), result.get("targetVersion").asText(),
                result.get("plan").size(), result.get("blockers").size()));
        for (JsonNode step : result.get("plan")) {
            text.append(String.format("%n  undo %-4s with %s", step.get("version").asText(), step.get("undoScript").asText()));
        }
        for (JsonNode step : result.path("proof")) {
            text.append(String.format("%n  proof: %-4s %-36s %s (%d ms)", step.get("version").asText(),
                    step.get("undoScript").isNull() ? "(schema check)" : step.get("undoScript").asText(),
                    step.get("ok").asBoolean() ? "ok" : "FAILS: " + step.get("message").asText(), step.get("durationMs").asLong()));
        }
        for (JsonNode blocker : result.get("blockers")) {
            text.append(String.format("%n  blocker: %s", blocker.asText()));
        }
        return text.toString();
    }

    static String canary(JsonNode result) {
        StringBuilder text = new StringBuilder(String.format("%s at stage %d%%, next stage %s", result.get("verdict").asText(),
                result.get("stage").asInt(), result.get("nextStage").isNull() ? "none" : result.get("nextStage").asText() + "%"));
        for (JsonNode signal : result.get("signals")) {
            text.append(String.format("%n  %-19s %-8s %s", signal.get("check").asText(), signal.get("status").asText(),
                    signal.path("message").asText()));
        }
        return text.toString();
    }

    private static String version(JsonNode version) {
        return version == null || version.isNull() ? "(empty)" : version.asText();
    }
}
