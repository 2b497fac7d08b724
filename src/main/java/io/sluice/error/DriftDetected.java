package io.sluice.error;

/**
 * Thrown by {@code validate} in mode {@code drift} with {@code failOnDrift} when the live schema differs from the
 * snapshot of the last deployment, so a schedule that alerts on function errors raises an alarm. The message
 * lists the differences; the reconcile SQL is in the result of a run without {@code failOnDrift}.
 */
public final class DriftDetected extends SluiceException {

    public DriftDetected(String message) {
        super(ErrorCode.DRIFT_DETECTED, message, null);
    }
}
