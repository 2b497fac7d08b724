package io.sluice.error;

/**
 * Thrown when the scripts could not be replayed in a scratch database where the work cannot go on without it (the
 * schema of a rollback's target rebuilt to compare with, a schema file built from the history): the message names the
 * replay, the version, the script and line, the SQLSTATE and the server's message, and how to give the scratch
 * database what the scripts need from outside the managed schema. Nothing in the live database changed.
 */
public final class ScratchReplayFailed extends SluiceException {

    public ScratchReplayFailed(String message) {
        super(ErrorCode.SCRATCH_REPLAY_FAILED, message, null);
    }

    public ScratchReplayFailed(String message, Throwable cause) {
        super(ErrorCode.SCRATCH_REPLAY_FAILED, message, cause);
    }
}
