package io.sluice.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.config.SluiceConfig;
import io.sluice.error.InvalidRequest;
import io.sluice.files.FileRoots;
import io.sluice.event.MigrationSource;

/**
 * Reads every {@code .sql} and {@code .sql.conf} file under a migration source, recursively, as Flyway would find
 * them: from a folder on disk, or from a classpath folder whether it lies in a directory, a jar or a native
 * image's resources.
 */
@ApplicationScoped
public class ScriptLoader {

    private final FileRoots roots;
    /**
     * Classpath folders as read once: they are part of the artifact and cannot change while it runs. A folder on
     * disk is read on every call (a bundle's is read from its unpacked copy, also cheap next to S3).
     */
    private final Map<String, ScriptSet> classpath = new ConcurrentHashMap<>();

    @Inject
    public ScriptLoader(SluiceConfig config) {
        this(FileRoots.of(config.files().roots()));
    }

    public ScriptLoader(FileRoots roots) {
        this.roots = roots;
    }

    public ScriptSet load(MigrationSource source) {
        if (source.kind() == MigrationSource.Kind.CLASSPATH) {
            ScriptSet known = classpath.get(source.path());
            if (known != null) {
                return known;
            }
            ScriptSet read = new ScriptSet(source, fromClasspath(source));
            classpath.putIfAbsent(source.path(), read);
            return read;
        }
        List<Script> scripts = switch (source.kind()) {
            case FILESYSTEM -> fromFolder(source);
            case CLASSPATH -> fromClasspath(source);
            // The function boundary fetches a bundle and hands over its folder; one that gets here had no S3 access.
            case BUNDLE -> throw new InvalidRequest("field 'migrations': " + source.location() + " is an S3 bundle and this function"
                    + " has no S3 access configured (sluice.aws.*); give a classpath: or filesystem: location instead");
        };
        return new ScriptSet(source, scripts);
    }

    /**
     * The {@code .sql} files of a folder that holds no migrations (application queries, say), read as a migration
     * source is: a {@code filesystem:} folder only under the file roots, or a {@code classpath:} folder.
     *
     * @param field the event field that named the folder, for errors
     */
    public List<Script> sqlFiles(MigrationSource source, String field) {
        List<Script> files = switch (source.kind()) {
            case FILESYSTEM -> fromFolder(source, field);
            case CLASSPATH -> fromClasspath(source);
            case BUNDLE -> throw new InvalidRequest("field '" + field + "' must be a filesystem: or classpath: folder, not "
                    + source.location());
        };
        return files.stream().filter(file -> file.path().endsWith(".sql")).toList();
    }

    private List<Script> fromFolder(MigrationSource source) {
        return fromFolder(source, "migrations");
    }

    private List<Script> fromFolder(MigrationSource source, String field) {
        Path root = roots.folder(source.path(), field);
        List<Script> scripts = new ArrayList<>();
        for (Path file : roots.files(root, field)) {
            if (isScriptFile(file.getFileName().toString())) {
                String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                scripts.add(new Script(relative, read(file, relative, source)));
            }
        }
        return scripts;
    }

    private static String read(Path file, String relative, MigrationSource source) {
        try {
            return decode(Files.readAllBytes(file), relative);
        } catch (IOException e) {
            throw new InvalidRequest("cannot read " + relative + " from " + source + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private List<Script> fromClasspath(MigrationSource source) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Enumeration<URL> roots;
        try {
            roots = loader.getResources(source.path());
        } catch (IOException e) {
            throw new InvalidRequest("cannot list classpath folder '" + source.path() + "': " + e.getMessage(), e);
        }
        if (!roots.hasMoreElements()) {
            throw new InvalidRequest("classpath folder '" + source.path() + "' does not exist in this function");
        }
        List<Script> scripts = new ArrayList<>();
        for (URL root : Collections.list(roots)) {
            scripts.addAll(fromClasspathRoot(root, source));
        }
        return scripts;
    }

    private List<Script> fromClasspathRoot(URL root, MigrationSource source) {
        try {
            return switch (root.getProtocol()) {
                case "file" -> walk(Path.of(root.toURI()), source);
                case "jar" -> fromJar((JarURLConnection) root.openConnection(), source);
                default -> fromFileSystem(root, source);
            };
        } catch (IOException | URISyntaxException e) {
            throw new InvalidRequest("cannot read classpath folder '" + source.path() + "' at " + root + ": " + e.getMessage(), e);
        }
    }

    private List<Script> fromJar(JarURLConnection connection, MigrationSource source) throws IOException {
        connection.setUseCaches(false);
        List<Script> scripts = new ArrayList<>();
        String prefix = source.path() + "/";
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (!entry.isDirectory() && entry.getName().startsWith(prefix) && isScriptFile(entry.getName())) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        String relative = entry.getName().substring(prefix.length());
                        scripts.add(new Script(relative, decode(in.readAllBytes(), entry.getName())));
                    }
                }
            }
        }
        return scripts;
    }

    /** Native images (and other class loaders) expose resources through a file system of their own. */
    private List<Script> fromFileSystem(URL root, MigrationSource source) throws IOException, URISyntaxException {
        FileSystem fileSystem;
        try {
            fileSystem = FileSystems.newFileSystem(root.toURI(), Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            fileSystem = FileSystems.getFileSystem(root.toURI());
        }
        return walk(fileSystem.provider().getPath(root.toURI()), source);
    }

    /** A classpath folder: inside the function itself, so no roots apply. */
    private List<Script> walk(Path root, MigrationSource source) {
        List<Script> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file) && isScriptFile(file.getFileName().toString())) {
                    String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    scripts.add(new Script(relative, decode(Files.readAllBytes(file), relative)));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidRequest("cannot read migrations from " + source + ": " + e.getMessage(), e);
        }
        return scripts;
    }

    private static boolean isScriptFile(String name) {
        return name.endsWith(".sql") || name.endsWith(".sql.conf");
    }

    private static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequest("script " + name + " is not valid UTF-8; save it as UTF-8");
        }
    }
}
