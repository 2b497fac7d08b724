package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The Node checkers the tests run, pinned: HashiCorp's HCL parser ({@code @cdktf/hcl2json}, WebAssembly),
 * {@code asl-validator}, and Ajv with the SARIF 2.1.0 schema. {@code .ci/run} installs them into {@code target/ci-tools/node}; run alone, the tests install
 * them there the same way (npm and the package registry needed), and are skipped, saying why, where they cannot.
 */
public final class NodeTools {

    public static final String HCL2JSON = "@cdktf/hcl2json@0.21.0";
    public static final String ASL_VALIDATOR = "asl-validator@4.0.0";
    /** Microsoft's SARIF matchers, for the SARIF 2.1.0 JSON schema they carry (lib/schemas/sarif-2.1.0-rtm.5.json). */
    public static final String SARIF_SCHEMA = "@microsoft/jest-sarif@1.0.0-beta.0";
    public static final String AJV = "ajv@8.20.0";
    public static final String AJV_FORMATS = "ajv-formats@3.0.1";
    /** Ajv for JSON Schema draft-04, the draft the SARIF 2.1.0 schema is written in. */
    public static final String AJV_DRAFT_04 = "ajv-draft-04@1.0.0";
    private static final Path PREFIX = Path.of("target", "ci-tools", "node");

    private static String unavailable;

    private NodeTools() {
    }

    /** The node_modules folder holding both tools; skips the calling test when they cannot be had. */
    public static synchronized Path modules() {
        if (unavailable == null && !installed()) {
            try {
                Emulators.run("npm", "install", "--prefix", PREFIX.toString(), "--silent", "--no-audit", "--no-fund", HCL2JSON, ASL_VALIDATOR,
                        SARIF_SCHEMA, AJV, AJV_FORMATS, AJV_DRAFT_04);
            } catch (IOException | InterruptedException | RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "the Node checkers are not available: " + unavailable);
        return PREFIX.resolve("node_modules");
    }

    private static boolean installed() {
        return Files.isDirectory(PREFIX.resolve("node_modules").resolve("@cdktf").resolve("hcl2json"))
                && Files.isRegularFile(PREFIX.resolve("node_modules").resolve(".bin").resolve("asl-validator"))
                && Files.isRegularFile(sarifSchema()) && Files.isDirectory(PREFIX.resolve("node_modules").resolve("ajv-draft-04"));
    }

    /** The SARIF 2.1.0 JSON schema (OASIS's final, rtm.5). */
    public static Path sarifSchema() {
        return PREFIX.resolve("node_modules").resolve("@microsoft").resolve("jest-sarif").resolve("lib").resolve("schemas")
                .resolve("sarif-2.1.0-rtm.5.json");
    }

    /** Runs {@code command}; its standard output, or an AssertionError with everything it printed. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("node-tool", ".out");
        Path err = Files.createTempFile("node-tool", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + stdout
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code node <script> <args>}. */
    public static String node(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(args));
        return run(command);
    }
}
