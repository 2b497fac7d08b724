package io.sluice.function;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.testing.TestDatabase;

/** The sample events shipped in {@code events/}, pointed at a test database so they run for real. */
final class SampleEvents {

    static final Path FOLDER = Path.of("events");

    private SampleEvents() {
    }

    /** Every sample event file whose name starts with {@code function}, e.g. "migrate". */
    static List<Path> forFunction(String function) {
        return all().stream().filter(file -> file.getFileName().toString().startsWith(function + "-")
                || file.getFileName().toString().equals(function + ".json")).toList();
    }

    static List<Path> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's event with its {@code database} replaced by {@code db}'s; everything else as shipped. */
    static String against(Path file, TestDatabase db) {
        try {
            ObjectNode event = (ObjectNode) LambdaInvoker.JSON.readTree(Files.readString(file));
            event.set("database", LambdaInvoker.JSON.readTree(db.targetJson()));
            return LambdaInvoker.JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
