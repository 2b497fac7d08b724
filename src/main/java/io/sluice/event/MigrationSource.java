package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * Where the migration scripts come from, written as Flyway writes locations: {@code classpath:db/migration} (the
 * scripts shipped inside the function) or {@code filesystem:/path/to/folder}.
 */
@RegisterForReflection
public record MigrationSource(Kind kind, String path) {

    public enum Kind { CLASSPATH, FILESYSTEM }

    private static final Pattern CLASSPATH_PATH = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");

    public static final MigrationSource DEFAULT = new MigrationSource(Kind.CLASSPATH, "db/migration");

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public MigrationSource {
        if (kind == Kind.CLASSPATH && (path == null || !CLASSPATH_PATH.matcher(path).matches())) {
            throw new InvalidRequest("field 'migrations': classpath location '" + Echo.value(path)
                    + "' must be a resource folder such as classpath:db/migration");
        }
        if (kind == Kind.FILESYSTEM && (path == null || path.isBlank() || path.indexOf('\0') >= 0)) {
            throw new InvalidRequest("field 'migrations': filesystem location needs a folder, e.g. filesystem:/opt/migrations");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static MigrationSource parse(String location) {
        if (location == null) {
            return DEFAULT;
        }
        if (location.startsWith("classpath:")) {
            return new MigrationSource(Kind.CLASSPATH, trimSlashes(location.substring("classpath:".length())));
        }
        if (location.startsWith("filesystem:")) {
            return new MigrationSource(Kind.FILESYSTEM, location.substring("filesystem:".length()));
        }
        throw new InvalidRequest("field 'migrations' must be 'classpath:<folder>' or 'filesystem:<folder>', got '"
                + Echo.value(location) + "'");
    }

    private static String trimSlashes(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    @JsonValue
    public String location() {
        return (kind == Kind.CLASSPATH ? "classpath:" : "filesystem:") + path;
    }

    @Override
    public String toString() {
        return location();
    }
}
