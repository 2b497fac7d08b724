package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A try of a transactional script that gave up on {@code lock_timeout} and was rolled back.
 *
 * @param script    the script that waited
 * @param attempt   which try this was (1 is the first)
 * @param waitedMs  how long that try ran before PostgreSQL cancelled the lock wait
 * @param backoffMs how long Sluice then waited, queueing for nothing, until no long transaction held a lock the script
 *                  needs (0 when the retry budget ran out instead)
 * @param detail    PostgreSQL's message, e.g. "canceling statement due to lock timeout"
 */
@RegisterForReflection
public record LockRetry(String script, int attempt, long waitedMs, long backoffMs, String detail) {
}
