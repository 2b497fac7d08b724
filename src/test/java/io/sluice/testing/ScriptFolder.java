package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sluice.event.MigrationSource;

/** A migrations folder written by a test, script by script. */
public final class ScriptFolder {

    private final Path root;

    public ScriptFolder(Path root) {
        this.root = root;
    }

    public ScriptFolder with(String name, String sql) {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ScriptFolder without(String name) {
        try {
            Files.delete(root.resolve(name));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public MigrationSource source() {
        return MigrationSource.parse("filesystem:" + root);
    }
}
