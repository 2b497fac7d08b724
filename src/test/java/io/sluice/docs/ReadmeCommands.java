package io.sluice.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import io.sluice.testing.PostgresServer;

/**
 * Runs every command the documentation tells a user to type, as written, from the checkout it is in: each fenced
 * {@code bash} block marked {@code <!-- runnable -->} on the line before it, in README.md and the reference pages
 * ({@code src/site/markdown/}), in order, with {@code bash -e}. The database the blocks name is there: a PostgreSQL
 * listening on {@code localhost:5432}, the sample release's database {@code app} and role {@code sluice_app}
 * (password {@code change-me}, as {@code events/pipeline/release.json} has it; a superuser here, where RDS's master
 * user is {@code rds_superuser}), as a team's own server would be.
 *
 * <p>A block fails the run when it exits non-zero, unless its marker predicts that exit
 * ({@code <!-- runnable: exit 1 -->}, said in the block's own comment). Each block's output is kept in
 * {@code target/readme-commands/}. The files the commands write into the checkout and name (a schema file, a copied
 * release input) are removed afterwards, so the checkout is as it was. Run by {@code .ci/run} on a fresh clone:
 * {@code ./mvnw -B -q test-compile exec:exec@readme-commands}.
 */
public final class ReadmeCommands {

    /** The marker, with the exit codes it predicts (default 0). */
    static final Pattern MARKER = Pattern.compile("^<!-- runnable(?:: exit ([0-9, ]+))? -->$");
    private static final Path LOGS = Path.of("target", "readme-commands");
    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(15);

    private ReadmeCommands() {
    }

    /** One runnable block: where it is, the commands, the exit codes it may end with. */
    record Block(Path file, int line, String commands, Set<Integer> exits) {

        String where() {
            return file + ":" + line;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Block> blocks = blocks(documents());
        if (blocks.isEmpty()) {
            throw new IllegalStateException("no block is marked <!-- runnable --> in " + documents());
        }
        Files.createDirectories(LOGS);
        Set<String> before = untracked();
        int failed = 0;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(5432)
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(PostgresServer.hba("local all postgres trust", "host all postgres 127.0.0.1/32 trust",
                        "host all postgres ::1/128 trust", "host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256"))
                .start()) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
                // As an RDS database's master user (rds_superuser): it may create roles and set their limits (the pipeline
                // makes its probe role, sluice_probe, with temp_file_limit), which only a superuser may on a plain server.
                sql.execute("CREATE ROLE sluice_app LOGIN SUPERUSER PASSWORD 'change-me'");
                sql.execute("CREATE DATABASE app OWNER sluice_app");
            }
            for (int i = 0; i < blocks.size(); i++) {
                Block block = blocks.get(i);
                Path log = LOGS.resolve("block-" + (i + 1) + ".log");
                long started = System.nanoTime();
                int exit = run(block, log);
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                if (block.exits().contains(exit)) {
                    System.out.printf("ok    %s (exit %d, %d s)%n", block.where(), exit, seconds);
                } else {
                    failed++;
                    System.out.printf("FAIL  %s: exit %d, the documentation predicts %s (%d s); the last lines of %s:%n", block.where(),
                            exit, block.exits(), seconds, log);
                    List<String> lines = Files.readAllLines(log);
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(line -> System.out.println("      " + line));
                }
            }
        } finally {
            // Only what a block names (my-release.json, schema.sql, lint.sarif) is removed: a file someone is writing
            // beside the run stays where it is.
            for (String added : untracked()) {
                String name = Path.of(added).getFileName().toString();
                if (!before.contains(added) && blocks.stream().anyMatch(block -> block.commands().contains(name))) {
                    deleteTree(Path.of(added));
                } else if (!before.contains(added)) {
                    System.out.printf("left in the checkout (no block names it): %s%n", added);
                }
            }
        }
        System.out.printf("%d of %d documented blocks ran as the documentation says%n", blocks.size() - failed, blocks.size());
        System.exit(failed == 0 ? 0 : 1);
    }

    /** README.md and every reference page. */
    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        Path site = Path.of("src", "site", "markdown");
        if (Files.isDirectory(site)) {
            try (var pages = Files.walk(site)) {
                pages.filter(page -> page.toString().endsWith(".md")).sorted().forEach(documents::add);
            }
        }
        return documents;
    }

    /** The marked blocks of {@code documents}, in order; a marker not followed by a {@code bash} fence is an error. */
    static List<Block> blocks(List<Path> documents) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path document : documents) {
            List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i).strip());
                if (!marker.matches()) {
                    continue;
                }
                if (i + 1 >= lines.size() || !lines.get(i + 1).equals("```bash")) {
                    throw new IllegalStateException(document + ":" + (i + 1) + ": a runnable marker must stand right above a ```bash fence");
                }
                StringBuilder commands = new StringBuilder();
                int end = i + 2;
                while (end < lines.size() && !lines.get(end).equals("```")) {
                    commands.append(lines.get(end)).append('\n');
                    end++;
                }
                Set<Integer> exits = new LinkedHashSet<>();
                if (marker.group(1) == null) {
                    exits.add(0);
                } else {
                    for (String code : marker.group(1).split(",")) {
                        exits.add(Integer.parseInt(code.strip()));
                    }
                }
                blocks.add(new Block(document, i + 3, commands.toString(), exits));
                i = end;
            }
        }
        return blocks;
    }

    private static int run(Block block, Path log) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", block.commands())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!bash.waitFor(BLOCK_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
            Files.writeString(log, "\n(stopped: still running after " + BLOCK_TIMEOUT.toMinutes() + " minutes)\n",
                    java.nio.file.StandardOpenOption.APPEND);
            return -1;
        }
        return bash.exitValue();
    }

    /** What git calls untracked and not ignored in the checkout: what a command wrote beside the sources. */
    private static Set<String> untracked() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "--others", "--exclude-standard", "--directory").start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        git.waitFor();
        Set<String> paths = new LinkedHashSet<>();
        out.lines().filter(line -> !line.isBlank()).forEach(paths::add);
        return paths;
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (var inside = Files.walk(path)) {
                for (Path each : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
    }
}
