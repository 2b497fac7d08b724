package io.sluice.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The folders a function may read files from when an event names a {@code filesystem:} location. A location is
 * resolved to its real path (every symbolic link followed) and must lie under one of the roots; so must every file
 * found below it. On Lambda that keeps {@code /proc/self/environ} (the function's credentials) and the rest of the
 * machine out of reach whatever the event says. Error messages name paths, never a file's contents.
 */
public final class FileRoots {

    /** The largest single file read from a location: scripts and contracts are text, far smaller than this. */
    public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

    /** Deeper nesting than this is a link loop or a mistake, not a migrations folder. */
    private static final int MAX_DEPTH = 32;

    private final List<Path> roots;

    private FileRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * Where fetched migration bundles are unpacked (each in a folder named by its SHA-256, after the check): always a
     * root, since only Sluice writes there.
     */
    public static final Path BUNDLES = Path.of(System.getProperty("java.io.tmpdir"), "sluice-bundles");

    /** Roots as configured, and {@link #BUNDLES}; those that do not exist are left out (nothing can be read from them anyway). */
    public static FileRoots of(List<String> configured) {
        List<Path> real = new ArrayList<>();
        try {
            real.add(Files.createDirectories(BUNDLES).toRealPath());
        } catch (IOException e) {
            // No bundle can be unpacked either; configured roots still work.
        }
        for (String root : configured) {
            Path path = Path.of(root).toAbsolutePath().normalize();
            try {
                real.add(path.toRealPath());
            } catch (IOException missing) {
                // A root that does not exist holds nothing to read.
            }
        }
        return new FileRoots(real);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The folder {@code location} names, as a real path under a root.
     *
     * @param field the event field that named it, for the error message
     */
    public Path folder(String location, String field) {
        Path real = resolve(location, field);
        if (!Files.isDirectory(real)) {
            throw new InvalidRequest("field '" + field + "': filesystem:" + Echo.value(location) + " is not a folder");
        }
        return real;
    }

    /** The regular file {@code location} names, as a real path under a root, at most {@link #MAX_FILE_BYTES}. */
    public Path file(String location, String field) {
        Path real = resolve(location, field);
        if (!Files.isRegularFile(real)) {
            throw new InvalidRequest("field '" + field + "': filesystem:" + Echo.value(location) + " is not a regular file");
        }
        checkSize(real, field);
        return real;
    }

    /**
     * Every regular file below {@code folder} (a real path from {@link #folder}), sorted by path. A symbolic link
     * is followed only when its target lies under a root too; one that leads out is an error, checked before
     * anything behind it is touched, so a planted link can neither be read nor silently skipped.
     */
    public List<Path> files(Path folder, String field) {
        List<Path> files = new ArrayList<>();
        try {
            collect(folder, folder, field, 0, files);
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidRequest("field '" + field + "': cannot list " + folder + " (" + e.getClass().getSimpleName() + ")", e);
        }
        files.sort(null);
        return files;
    }

    private void collect(Path top, Path dir, String field, int depth, List<Path> files) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidRequest("field '" + field + "': folders nest deeper than " + MAX_DEPTH + " levels below " + top);
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        }
        for (Path entry : entries) {
            if (Files.isSymbolicLink(entry) && !underARoot(entry.toRealPath())) {
                throw new InvalidRequest("field '" + field + "': " + top.relativize(entry)
                        + " is a symbolic link to a path outside the folders this function may read");
            }
            if (Files.isDirectory(entry)) {
                collect(top, entry, field, depth + 1, files);
            } else if (Files.isRegularFile(entry)) {
                checkSize(entry, field);
                files.add(entry);
            }
        }
    }

    private Path resolve(String location, String field) {
        Path real;
        try {
            real = Path.of(location).toAbsolutePath().normalize().toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequest("field '" + field + "': filesystem:" + Echo.value(location) + " does not exist");
        }
        if (!underARoot(real)) {
            throw new InvalidRequest("field '" + field + "': filesystem:" + Echo.value(location) + " is outside the folders this"
                    + " function may read (" + roots.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "; setting sluice.files.roots)");
        }
        return real;
    }

    private boolean underARoot(Path real) {
        return roots.stream().anyMatch(real::startsWith);
    }

    private static void checkSize(Path file, String field) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidRequest("field '" + field + "': " + file.getFileName() + " is larger than " + MAX_FILE_BYTES
                        + " bytes");
            }
        } catch (IOException e) {
            throw new InvalidRequest("field '" + field + "': cannot read the size of " + file.getFileName(), e);
        }
    }
}
