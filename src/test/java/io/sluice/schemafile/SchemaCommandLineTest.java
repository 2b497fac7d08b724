package io.sluice.schemafile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.SchemaCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.TestDatabase;

/**
 * {@code schema export | check | generate} as a developer and a pull-request job run them, against a real server:
 * the file written, a stale file failing the check with the SQL between them, a desired edit generated into the
 * migrations folder and then matching; and usage errors.
 */
class SchemaCommandLineTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SchemaCommandLine.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD), args);
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void export_check_generate_thenCheckAgain(@TempDir Path dir) throws Exception {
        ScriptFolder history = SchemaHistory.in(dir.resolve("migrations"));
        TestDatabase server = PostgresServer.get().newDatabase();
        String[] database = {"--database", server.jdbcUrl(), "--user", PostgresServer.APP_USER, "--migrations", history.root().toString()};
        Path schema = dir.resolve("schema.sql");

        Run exported = run(with(with(new String[] {"export"}, database), "--output", schema.toString()));
        assertThat(exported.code()).as(exported.err()).isEqualTo(SchemaCommandLine.DONE);
        assertThat(exported.out()).startsWith(schema + ": ").contains("the history at version 4");
        assertThat(Files.readString(schema)).startsWith("-- schema.sql, written by Sluice");

        Run same = run(with(with(new String[] {"check"}, database), "--schema-file", schema.toString()));
        assertThat(same.code()).as(same.out() + same.err()).isEqualTo(SchemaCommandLine.DONE);
        assertThat(same.out()).contains("describes the schema the migrations produce (version 4");

        // The reviewed file gains a column: the migrations do not produce it yet.
        Path desired = Files.writeString(dir.resolve("desired.sql"), Files.readString(schema)
                + "\nALTER TABLE public.orders ADD COLUMN gift_note text;\n");
        Run stale = run(with(with(new String[] {"check"}, database), "--schema-file", desired.toString()));
        assertThat(stale.code()).isEqualTo(SchemaCommandLine.DIFFERS);
        assertThat(stale.out()).contains("1 difference(s)", "column public.orders.gift_note ADDED",
                "ALTER TABLE public.orders DROP COLUMN gift_note;");

        Run generated = run(with(with(new String[] {"generate"}, database), "--desired", desired.toString(), "--name", "gift_note"));
        assertThat(generated.code()).as(generated.out() + generated.err()).isEqualTo(SchemaCommandLine.DONE);
        assertThat(generated.out()).contains("V5__gift_note.sql (expand) and U5__gift_note.sql", "proof: V5__gift_note.sql reversible",
                "written to " + history.root().toAbsolutePath().normalize() + ": 1 pair(s) after version 4");
        assertThat(Files.readString(history.root().resolve("V5__gift_note.sql"))).contains("ALTER TABLE public.orders ADD COLUMN gift_note text;");
        assertThat(Files.readString(history.root().resolve("U5__gift_note.sql"))).contains("ALTER TABLE public.orders DROP COLUMN gift_note;");

        Run now = run(with(with(new String[] {"check"}, database), "--schema-file", desired.toString()));
        assertThat(now.code()).as(now.out()).isEqualTo(SchemaCommandLine.DONE);
        Run nothing = run(with(with(new String[] {"generate"}, database), "--desired", desired.toString(), "--name", "again"));
        assertThat(nothing.out()).contains("the migrations already produce the desired schema (version 5): nothing to generate");
    }

    @Test
    void usageErrors_sayWhatIsMissing() {
        assertThat(run("frobnicate").err()).startsWith("sluice schema: Unmatched argument at index 1: 'frobnicate'");
        assertThat(run("check", "--database", "jdbc:postgresql://localhost/x", "--user", "u", "--migrations", "m").err())
                .startsWith("sluice schema check: Missing required option: '--schema-file=FILE'");
        assertThat(run("export", "--database", "jdbc:postgresql://localhost/x", "--user", "u").code()).isEqualTo(SchemaCommandLine.USAGE);
        assertThat(run(Map.of(), "export", "--database", "jdbc:postgresql://localhost/x", "--user", "u", "--migrations", "m").err())
                .startsWith("sluice schema export: set PGPASSWORD (or SLUICE_PASSWORD, FLYWAY_PASSWORD) to the password of u");
        assertThat(run("generate", "--database", "jdbc:postgresql://localhost/x", "--user", "u", "--migrations", "m", "--name", "x").err())
                .startsWith("sluice schema generate: Missing required option: '--desired=FILE'");
    }
}
