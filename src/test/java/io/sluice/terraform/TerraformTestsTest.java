package io.sluice.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testing.TerraformModule;

/**
 * {@code terraform test} on the module: {@code terraform/tests/*.tftest.hcl}, each run a configuration a deployment
 * has, evaluated by Terraform itself with the AWS provider mocked ({@code tests/mocks}): every count, for_each,
 * condition, precondition and variable validation as a plan and apply evaluate them. Needs the {@code terraform}
 * binary and the AWS provider in a local plugin folder ({@code SLUICE_TF_PLUGIN_DIR}, else {@code /opt/tf-plugins}),
 * since no provider can be downloaded here; without them it is reported as skipped, saying which is missing.
 */
class TerraformTestsTest {

    private static final Pattern RUN_BLOCK = Pattern.compile("(?m)^run \"([^\"]+)\"");
    private static final Pattern RUN_RESULT = Pattern.compile("(?m)^\\s+run \"([^\"]+)\"\\.\\.\\. (pass|fail|skip)");
    private static final Pattern FILE_RESULT = Pattern.compile("(?m)^(tests/[^ ]+\\.tftest\\.hcl)\\.\\.\\. (pass|fail|skip)$");

    @Test
    void everyScenarioOfTheModule_passesTerraformTest(@TempDir Path work) throws Exception {
        Path pluginDir = Path.of(System.getenv().getOrDefault("SLUICE_TF_PLUGIN_DIR", "/opt/tf-plugins"));
        Assumptions.assumeTrue(onPath("terraform"), "terraform is not on the PATH: terraform test runs in .github/workflows/terraform.yml");
        Assumptions.assumeTrue(Files.isDirectory(pluginDir.resolve("registry.terraform.io/hashicorp/aws")),
                () -> "no AWS provider in " + pluginDir + " (SLUICE_TF_PLUGIN_DIR): terraform test runs in .github/workflows/terraform.yml");

        // The module as a deployment has it, without the S3 backend (the state of a test lives in memory).
        Path module = work.resolve("module");
        copy(TerraformModule.FOLDER, module);
        Files.delete(module.resolve("backend.tf"));
        run(module, List.of("terraform", "init", "-backend=false", "-input=false", "-no-color", "-plugin-dir=" + pluginDir));
        String output = run(module, List.of("terraform", "test", "-no-color"));

        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(TerraformModule.FOLDER.resolve("tests"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tftest.hcl")).sorted().toList()) {
                Matcher runs = RUN_BLOCK.matcher(Files.readString(file));
                while (runs.find()) {
                    expected.put(file.getFileName() + " " + runs.group(1), "pass");
                }
            }
        }
        Map<String, String> reported = new TreeMap<>();
        String file = null;
        for (String line : output.split("\n")) {
            Matcher fileLine = Pattern.compile("^(tests/[^ ]+\\.tftest\\.hcl)\\.\\.\\. ").matcher(line);
            if (fileLine.find()) {
                file = Path.of(fileLine.group(1)).getFileName().toString();
            }
            Matcher result = RUN_RESULT.matcher(line);
            if (result.find()) {
                reported.put(file + " " + result.group(1), result.group(2));
            }
        }
        assertThat(expected).as("the scenarios in terraform/tests").isNotEmpty();
        assertThat(reported).as(output).isEqualTo(expected);
        assertThat(FILE_RESULT.matcher(output).results().map(match -> match.group(2)).distinct().toList()).as(output)
                .containsExactly("pass");
    }

    private static String run(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s finishes", command).isTrue();
        String output = new String(bytes, StandardCharsets.UTF_8);
        // A failed run exits 1 with the failures in the output, which the caller's assertions show whole.
        assertThat(process.exitValue() == 0 || command.get(1).equals("test")).as("%s: %s", command, output).isTrue();
        return output;
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> all = Files.walk(from)) {
            all.filter(path -> !from.relativize(path).toString().startsWith(".terraform")).forEach(paths::add);
        }
        for (Path path : paths) {
            Path target = to.resolve(from.relativize(path).toString());
            if (Files.isDirectory(path)) {
                Files.createDirectories(target);
            } else {
                Files.copy(path, target);
            }
        }
    }
}
