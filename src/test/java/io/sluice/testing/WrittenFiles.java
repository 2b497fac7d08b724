package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a run wrote under a folder, read back byte for byte: the files that hold a given secret. */
public final class WrittenFiles {

    private WrittenFiles() {
    }

    /** Every regular file under {@code root} whose bytes contain {@code secret} (UTF-8); none when the folder is missing. */
    public static List<Path> holding(Path root, String secret) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> contains(read(file), needle)).toList();
        }
    }

    /** How many regular files are under {@code root}: a check that holds for no files proves nothing. */
    public static long count(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
