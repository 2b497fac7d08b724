package io.sluice.backfill;

import java.util.ArrayList;
import java.util.List;

import io.sluice.event.PlannedScript;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;

/** The batched data migrations among the scripts a migrate would apply. */
public final class Backfills {

    /** A pending script that declares batches. */
    public record Pending(PlannedScript planned, BatchSpec spec) {
    }

    private Backfills() {
    }

    /** The batched scripts of {@code plan}, in plan order; a malformed declaration is a ValidationFailed. */
    public static List<Pending> pending(List<PlannedScript> plan, ScriptSet scripts) {
        List<Pending> found = new ArrayList<>();
        for (PlannedScript planned : plan) {
            if (planned.version() == null) {
                continue;
            }
            Script script = scripts.find(planned.script()).orElse(null);
            if (script != null) {
                BatchSpec.of(script).ifPresent(spec -> found.add(new Pending(planned, spec)));
            }
        }
        return found;
    }

    /**
     * The Flyway target that applies what comes before {@code backfill} in {@code plan}: the versioned script just
     * before it, or {@code current} (apply nothing versioned) when it comes first.
     */
    public static String targetBefore(List<PlannedScript> plan, Pending backfill) {
        String before = "current";
        for (PlannedScript planned : plan) {
            if (planned.script().equals(backfill.planned().script())) {
                return before;
            }
            if (planned.version() != null) {
                before = planned.version();
            }
        }
        return before;
    }
}
