package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.InvalidRequest;
import io.sluice.event.MigrationSource;
import io.sluice.testing.Sluice;
import io.sluice.testing.ScriptFolder;

class ScriptLoaderTest {

    private final ScriptLoader loader = new ScriptLoader(Sluice.files());

    @Test
    void folder_isReadRecursively_withKindsVersionsAndUndoPairs(@TempDir Path dir) {
        new ScriptFolder(dir)
                .with("V1__init.sql", "\uFEFFCREATE TABLE a (id int);")
                .with("U1__init.sql", "DROP TABLE a;")
                .with("2024/V1_1__more_stuff.sql", "SELECT 1;")
                .with("R__views.sql", "SELECT 1;")
                .with("V2__idx.sql.conf", "executeInTransaction=false")
                .with("V2__idx.sql", "SELECT 1;")
                .with("README.md", "not a script");

        ScriptSet scripts = loader.load(MigrationSource.parse("filesystem:" + dir));

        assertThat(scripts.all()).extracting(Script::path).containsExactly("2024/V1_1__more_stuff.sql", "R__views.sql",
                "U1__init.sql", "V1__init.sql", "V2__idx.sql", "V2__idx.sql.conf");
        assertThat(scripts.find("V1__init.sql").orElseThrow().content()).startsWith("CREATE");
        assertThat(scripts.versioned(MigrationVersion.fromVersion("1.1")).orElseThrow().description()).isEqualTo("more stuff");
        assertThat(scripts.undoFor(MigrationVersion.fromVersion("1")).orElseThrow().path()).isEqualTo("U1__init.sql");
        assertThat(scripts.undoFor(MigrationVersion.fromVersion("2"))).isEmpty();
        assertThat(scripts.isTransactional(scripts.find("V2__idx.sql").orElseThrow())).isFalse();
        assertThat(scripts.latestVersion()).isEqualTo(MigrationVersion.fromVersion("2"));
    }

    @Test
    void symlinkLeavingTheRoots_isRefused_andNothingBehindItIsRead(@TempDir Path dir) throws Exception {
        new ScriptFolder(dir).with("V1__init.sql", "CREATE TABLE a (id int);");
        Files.createSymbolicLink(dir.resolve("V2__passwd.sql"), Path.of("/etc/passwd"));

        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:" + dir)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': V2__passwd.sql is a symbolic link to a path outside the folders this function may read")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
    }

    @Test
    void symlinkedFolderLeavingTheRoots_isRefusedBeforeItIsWalked(@TempDir Path dir) throws Exception {
        new ScriptFolder(dir).with("V1__init.sql", "CREATE TABLE a (id int);");
        Files.createSymbolicLink(dir.resolve("everything"), Path.of("/"));

        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:" + dir)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': everything is a symbolic link to a path outside the folders this function may read");
    }

    @Test
    void symlinkInsideTheRoots_isFollowed(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("V2__shared.sql"), "SELECT 2;");
        Path migrations = Files.createDirectories(dir.resolve("app"));
        new ScriptFolder(migrations).with("V1__init.sql", "SELECT 1;");
        Files.createSymbolicLink(migrations.resolve("common"), shared);

        ScriptSet scripts = loader.load(MigrationSource.parse("filesystem:" + migrations));

        assertThat(scripts.all()).extracting(Script::path).containsExactly("V1__init.sql", "common/V2__shared.sql");
    }

    @Test
    void folderOutsideTheRoots_isRefused_evenThroughDotDot(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:" + dir + "/../../../../etc")))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'migrations': filesystem:" + dir + "/../../../../etc is outside the folders this"
                        + " function may read (");
    }

    @Test
    void classpathFolderInsideAJar_isRead(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("bundle.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // Folder entries first, as the jar and Maven tools write them.
            for (String name : new String[] {"db/", "db/other/", "db/other/nested/", "db/other/V1__a.sql",
                    "db/other/U1__a.sql", "db/other/nested/V2__b.sql"}) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(("SELECT '" + name + "';").getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader jarLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(jarLoader);

            ScriptSet scripts = loader.load(MigrationSource.parse("classpath:db/other"));

            assertThat(scripts.all()).extracting(Script::path).containsExactly("U1__a.sql", "V1__a.sql", "nested/V2__b.sql");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void duplicateVersions_areRejectedNamingBothFiles(@TempDir Path dir) {
        new ScriptFolder(dir).with("V1__a.sql", "SELECT 1;").with("sub/V1.0__b.sql", "SELECT 2;");

        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:" + dir)))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("V1__a.sql and sub/V1.0__b.sql");
    }

    @Test
    void missingFolderOrClasspathLocation_isAnInvalidRequest() {
        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:/no/such/dir")))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> loader.load(MigrationSource.parse("classpath:no/such/dir")))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("does not exist");
    }

    @Test
    void nonUtf8Script_isRejected(@TempDir Path dir) throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve("V1__latin1.sql"))) {
            out.write(new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\''});
        }

        assertThatThrownBy(() -> loader.load(MigrationSource.parse("filesystem:" + dir)))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("not valid UTF-8");
    }
}
