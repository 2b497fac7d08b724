package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * Where the migration scripts come from, written as Flyway writes locations: {@code classpath:db/migration} (the
 * scripts shipped inside the function) or {@code filesystem:/path/to/folder}; or a bundle in S3,
 * {@code {"s3": "s3://bucket/key.zip", "sha256": "..."}}, which the function fetches, checks and unpacks before its
 * command runs.
 *
 * @param sha256 for a bundle: the SHA-256 (hex) its zip must have
 */
@RegisterForReflection
public record MigrationSource(Kind kind, String path, String sha256) {

    public enum Kind { CLASSPATH, FILESYSTEM, BUNDLE }

    private static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[^\\s]{1,1024}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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
        if (kind == Kind.BUNDLE && (path == null || !S3_URI.matcher(path).matches())) {
            throw new InvalidRequest("field 'migrations.s3' must be an S3 URI such as s3://bucket/releases/app-42.zip, not '"
                    + Echo.value(path) + "'");
        }
        if (kind == Kind.BUNDLE && (sha256 == null || !SHA256.matcher(sha256).matches())) {
            throw new InvalidRequest("field 'migrations.sha256' must be the bundle's SHA-256, 64 lower-case hex digits");
        }
        if (kind != Kind.BUNDLE && sha256 != null) {
            throw new InvalidRequest("field 'migrations': a sha256 goes with an s3 bundle only");
        }
    }

    public MigrationSource(Kind kind, String path) {
        this(kind, path, null);
    }

    /** The event's form: a location string, or a bundle object. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static MigrationSource fromJson(JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULT;
        }
        if (value.isTextual()) {
            return parse(value.asText());
        }
        if (value.isObject()) {
            java.util.Iterator<String> names = value.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("s3") && !name.equals("sha256")) {
                    throw new InvalidRequest("field 'migrations' as an object takes 's3' and 'sha256' only, not '" + Echo.value(name) + "'");
                }
            }
            if (!value.path("s3").isTextual() || !value.path("sha256").isTextual()) {
                throw new InvalidRequest("field 'migrations' as an object is a bundle: {\"s3\": \"s3://bucket/key.zip\", \"sha256\": \"...\"}");
            }
            return new MigrationSource(Kind.BUNDLE, value.get("s3").asText(), value.get("sha256").asText());
        }
        throw new InvalidRequest("field 'migrations' must be a string ('classpath:<folder>' or 'filesystem:<folder>') or a bundle"
                + " object ({\"s3\": ..., \"sha256\": ...})");
    }

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

    /** The location as events and results write it; a bundle as its S3 URI. */
    @JsonValue
    public String location() {
        return switch (kind) {
            case CLASSPATH -> "classpath:" + path;
            case FILESYSTEM -> "filesystem:" + path;
            case BUNDLE -> path;
        };
    }

    /** Whether this names an S3 bundle still to fetch. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isBundle() {
        return kind == Kind.BUNDLE;
    }

    @Override
    public String toString() {
        return location();
    }
}
