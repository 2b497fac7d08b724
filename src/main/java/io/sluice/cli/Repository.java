package io.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.sluice.error.Echo;

/**
 * The repository a folder of scripts is in, as code review sees it: its root (the git top-level of the folder, or
 * {@code --base-dir}), the folder's path from there (what SARIF's {@code %SRCROOT%}-relative URIs and GitHub's
 * {@code file=} name), and the scripts git says were added or changed since a ref.
 */
public final class Repository {

    /** A ref as git spells one: no option (a leading {@code -}), no blank, no control character. */
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9_./~^@{}+-]{1,200}");
    private static final long GIT_SECONDS = 60;

    private final Path root;
    private final Path folder;

    private Repository(Path root, Path folder) {
        this.root = root;
        this.folder = folder;
    }

    /**
     * The repository of {@code folder}: {@code baseDir} when given, else the nearest directory above the folder that
     * holds {@code .git} (a checkout's directory, or a worktree's file), else the working directory when the folder is
     * under it, else the folder itself.
     *
     * @throws IllegalArgumentException when the folder is not under that root
     */
    public static Repository of(Path folder, Path baseDir) {
        Path absolute = folder.toAbsolutePath().normalize();
        Path root = baseDir != null ? baseDir.toAbsolutePath().normalize() : topLevel(absolute);
        if (!absolute.startsWith(root)) {
            throw new IllegalArgumentException("the folder " + Echo.value(folder.toString()) + " is not under the repository root " + root
                    + (baseDir != null ? " (--base-dir)" : ""));
        }
        return new Repository(root, absolute);
    }

    private static Path topLevel(Path folder) {
        for (Path at = folder; at != null; at = at.getParent()) {
            if (Files.exists(at.resolve(".git"))) {
                return at;
            }
        }
        Path workingDirectory = Path.of("").toAbsolutePath().normalize();
        return folder.startsWith(workingDirectory) ? workingDirectory : folder;
    }

    public Path root() {
        return root;
    }

    /** The folder from the root, with {@code /}: empty when the folder is the root. */
    public String folderPath() {
        return root.relativize(folder).toString().replace(folder.getFileSystem().getSeparator(), "/");
    }

    /**
     * The scripts of the folder (named as the loader names them) that git says were added, copied, modified or renamed
     * since {@code ref}, committed or not, and the new files git does not track yet.
     *
     * @throws IllegalArgumentException when {@code ref} is not a ref, or git cannot compare with it (its message, bounded)
     */
    public Set<String> changedSince(String ref) {
        if (!REF.matcher(ref).matches() || ref.startsWith("-")) {
            throw new IllegalArgumentException("--since takes a git ref (a branch, tag or commit), got '" + Echo.value(ref) + "'");
        }
        String inside = folderPath().isEmpty() ? "." : folderPath();
        Set<String> changed = new LinkedHashSet<>();
        changed.addAll(git("diff", "--name-only", "-z", "--diff-filter=ACMR", ref, "--", inside));
        changed.addAll(git("ls-files", "-z", "--others", "--exclude-standard", "--", inside));
        Set<String> scripts = new LinkedHashSet<>();
        String prefix = folderPath().isEmpty() ? "" : folderPath() + "/";
        for (String path : changed) {
            if (path.startsWith(prefix)) {
                scripts.add(path.substring(prefix.length()));
            }
        }
        return scripts;
    }

    /** git's output, split on NUL; an IllegalArgumentException with git's own message when it fails. */
    private List<String> git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = git.getInputStream().readAllBytes();
            byte[] err = git.getErrorStream().readAllBytes();
            if (!git.waitFor(GIT_SECONDS, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new IllegalArgumentException("git " + args[0] + " did not answer within " + GIT_SECONDS + " s");
            }
            if (git.exitValue() != 0) {
                throw new IllegalArgumentException("git " + args[0] + " in " + root + " failed: "
                        + Echo.value(new String(err, StandardCharsets.UTF_8).strip()));
            }
            return List.of(new String(out, StandardCharsets.UTF_8).split("\0")).stream().filter(path -> !path.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("git cannot be run here (" + Echo.value(e.getMessage()) + "); --since needs git on the PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while git ran");
        }
    }
}
