package io.sluice.workflow;

/**
 * A state machine definition the local runner will not run: malformed, or using a feature it does not implement.
 * Raised when the file is loaded, before any state runs, and names the state.
 */
public final class DefinitionRefused extends RuntimeException {

    public DefinitionRefused(String message) {
        super(message, null, false, false);
    }

    static DefinitionRefused inState(String state, String message) {
        return new DefinitionRefused("state '" + state + "': " + message);
    }
}
