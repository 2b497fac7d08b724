package io.sluice.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * S3 bound to a local folder, for a Distributed Map's {@code ItemReader} ({@code s3:getObject}) and
 * {@code ResultWriter} ({@code s3:putObject}): object {@code Key} of bucket {@code Bucket} is the file
 * {@code <root>/<Bucket>/<Key>}. A bucket name S3 would refuse, or a key that leads out of its bucket's folder
 * ({@code ../}, an absolute path, a link), is refused: the runner reads and writes nothing outside its root.
 */
public final class LocalObjects implements TaskResources {

    public static final String GET_OBJECT = "arn:aws:states:::s3:getObject";
    public static final String PUT_OBJECT = "arn:aws:states:::s3:putObject";

    /** S3's bucket names: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** S3 keys are at most 1,024 bytes. */
    private static final int MAX_KEY = 1_024;
    /** The largest object read into memory here (an item manifest of some hundred thousand databases). */
    static final long MAX_OBJECT_BYTES = 64L * 1024 * 1024;

    private final Path root;
    /** The objects as written, which reads return; the files hold them with their secrets taken out ({@link Redaction}). */
    private final Map<Path, String> written = new ConcurrentHashMap<>();
    private final Redaction redaction = new Redaction();

    public LocalObjects(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public boolean serves(String resource) {
        return Set.of(GET_OBJECT, PUT_OBJECT).contains(resource);
    }

    @Override
    public JsonNode run(TaskCall call) {
        String bucket = call.parameters().path("Bucket").asText("");
        String key = call.parameters().path("Key").asText("");
        if (call.resource().equals(GET_OBJECT)) {
            String body = read(bucket, key, MAX_OBJECT_BYTES);
            return Paths.JSON.createObjectNode().put("Body", body).put("ContentLength", body.getBytes(StandardCharsets.UTF_8).length);
        }
        JsonNode body = call.parameters().path("Body");
        try {
            write(bucket, key, body.isTextual() ? body.asText() : Paths.JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new StatesError("S3.S3Exception", e.getMessage());
        }
        return Paths.JSON.createObjectNode().put("ETag", "\"" + Integer.toHexString(body.hashCode()) + "\"");
    }

    /** The object's text; {@code S3.NoSuchKeyException} when there is none, {@code S3.S3Exception} when over {@code maxBytes}. */
    public String read(String bucket, String key, long maxBytes) {
        Path file = file(bucket, key);
        String kept = written.get(file);
        if (kept != null) {
            if (kept.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                throw new StatesError("S3.S3Exception", "s3://" + bucket + "/" + key + " is over " + maxBytes + " bytes, the most read here");
            }
            return kept;
        }
        try {
            if (Files.size(file) > maxBytes) {
                throw new StatesError("S3.S3Exception", "s3://" + bucket + "/" + key + " is over " + maxBytes + " bytes, the most read here");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StatesError("S3.NoSuchKeyException", "The specified key does not exist: s3://" + bucket + "/" + key);
        } catch (IOException e) {
            throw new StatesError("S3.S3Exception", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Writes (or replaces) the object: reads get {@code body} as it is, the file holds it with its secrets taken out (a
     * wave's targets given with event credentials, a child's input in a Map's results).
     */
    public void write(String bucket, String key, String body) {
        Path file = file(bucket, key);
        try {
            Files.createDirectories(file.getParent());
            written.put(file, body);
            Files.writeString(file, redaction.redacted(body), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StatesError("S3.S3Exception", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The keys of the bucket's objects under {@code prefix}, in key order, at most {@code max}. */
    public List<String> keys(String bucket, String prefix, int max) {
        Path folder = file(bucket, "listed").getParent(); // the bucket's folder, its name checked
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(each -> folder.relativize(each).toString().replace('\\', '/'))
                    .filter(key -> key.startsWith(prefix)).sorted().limit(max).toList();
        } catch (IOException e) {
            throw new StatesError("S3.S3Exception", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The file of object {@code Key} in bucket {@code Bucket}, refused when either would lead elsewhere. */
    private Path file(String bucket, String key) {
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new StatesError("S3.InvalidBucketNameException", "The specified bucket is not valid: '"
                    + bucket.substring(0, Math.min(bucket.length(), 100)) + "'");
        }
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY || key.startsWith("/") || key.indexOf('\0') >= 0) {
            throw new StatesError("S3.S3Exception", "the key must be 1-" + MAX_KEY + " bytes and relative to its bucket");
        }
        Path folder = root.resolve(bucket);
        Path file = folder.resolve(key).normalize();
        if (!file.startsWith(folder) || file.equals(folder)) {
            throw new StatesError("S3.S3Exception", "the key '" + key.substring(0, Math.min(key.length(), 200)) + "' leads out of bucket "
                    + bucket + "'s folder; the local runner reads and writes only under " + root);
        }
        try {
            // A link inside the bucket's folder must not lead out of it either.
            Path real = Files.exists(file) ? file.toRealPath() : null;
            if (real != null && !real.startsWith(folder.toRealPath())) {
                throw new StatesError("S3.S3Exception", "the key '" + key + "' is a link out of bucket " + bucket + "'s folder");
            }
        } catch (IOException e) {
            throw new StatesError("S3.S3Exception", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return file;
    }
}
