package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one pending statement did to existing relations when the lock probe ran it in a scratch database.
 *
 * @param script    the script
 * @param line      the statement's first line
 * @param statement the statement, abbreviated
 * @param measured  true when measured inside a transaction; false for a statement PostgreSQL refuses in one
 *                  ({@code CREATE INDEX CONCURRENTLY} ...), whose lock is the documented one
 * @param locks     each lock taken on a relation that existed before the script, e.g. "ACCESS EXCLUSIVE on public.orders"
 * @param rewritten relations whose storage was rewritten (their relfilenode changed)
 * @param error     what PostgreSQL said when the statement failed in the scratch database (probing stops there)
 */
@RegisterForReflection
public record MeasuredLock(
        String script,
        int line,
        String statement,
        boolean measured,
        List<String> locks,
        List<String> rewritten,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    /** Locks and rewrites in a stable order (pg_locks has none), so one statement always reads the same. */
    public MeasuredLock {
        locks = locks.stream().sorted().toList();
        rewritten = rewritten.stream().sorted().toList();
    }

    /** "ACCESS EXCLUSIVE on public.orders, rewrite of public.orders": what a finding shows. */
    public String describe() {
        StringBuilder text = new StringBuilder(locks.isEmpty() ? "no lock on existing relations" : String.join(", ", locks));
        for (String relation : rewritten) {
            text.append(", rewrite of ").append(relation);
        }
        return measured ? text.toString() : text + " (documented; cannot run in a transaction to be measured)";
    }
}
