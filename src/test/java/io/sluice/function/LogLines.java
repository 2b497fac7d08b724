package io.sluice.function;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The JSON log file Quarkus writes in tests, read back from a given offset. */
final class LogLines {

    static final Path FILE = Path.of("target/quarkus-test.log");

    private LogLines() {
    }

    static long mark() throws IOException {
        return Files.exists(FILE) ? Files.size(FILE) : 0;
    }

    /** The raw text logged since {@code mark}. */
    static String textSince(long mark) throws IOException {
        byte[] all = Files.readAllBytes(FILE);
        return new String(all, (int) mark, all.length - (int) mark, StandardCharsets.UTF_8);
    }

    /** Each JSON line logged since {@code mark}. */
    static List<JsonNode> since(long mark) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : textSince(mark).split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(LambdaInvoker.JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON log line: " + line, e);
                }
            }
        }
        return lines;
    }
}
