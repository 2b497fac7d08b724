package io.sluice.migration;

import java.util.EnumSet;
import java.util.Set;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A Flyway callback that Sluice hooks around each script: it answers the events it names, runs inside the script's
 * transaction when there is one, and carries its name.
 */
public abstract class ScriptCallback implements Callback {

    private final Set<Event> events;
    private final String name;

    ScriptCallback(String name, Event first, Event... more) {
        this.name = name;
        this.events = EnumSet.of(first, more);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return events.contains(event);
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return name;
    }
}
