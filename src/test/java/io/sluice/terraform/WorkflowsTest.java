package io.sluice.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.sluice.approval.Approvers;
import io.sluice.event.Caller;
import io.sluice.testing.TerraformModule;

/**
 * The GitHub workflows as GitHub reads them, held to the module they drive: the deploy job's sessions last as long as
 * the job may wait (the deploy role allows them), the job ends with its execution's state before its own timeout, the
 * session name STS is given is one STS takes for every actor (a bot's too), and every {@code run:} script passes
 * shellcheck.
 */
class WorkflowsTest {

    private static final Path WORKFLOWS = Path.of(".github", "workflows");
    /** What STS's AssumeRoleWithWebIdentity takes as RoleSessionName. */
    private static final Pattern STS_SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private static JsonNode workflow(String name) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(WORKFLOWS.resolve(name).toFile());
    }

    private static JsonNode step(JsonNode job, String field, String value) {
        for (JsonNode step : job.path("steps")) {
            if (step.path(field).asText().startsWith(value)) {
                return step;
            }
        }
        throw new AssertionError("no step with " + field + " " + value + " in " + job);
    }

    @Test
    void theDeployJobsSessions_lastAsLongAsTheJob_withinWhatTheDeployRoleAllows() throws Exception {
        JsonNode job = workflow("deploy.yml").at("/jobs/deploy");
        int jobSeconds = job.path("timeout-minutes").asInt() * 60;
        int sessionSeconds = step(job, "uses", "aws-actions/configure-aws-credentials").at("/with/role-duration-seconds").asInt();
        int roleSeconds = TerraformModule.block("resource", "aws_iam_role", "deploy").path("max_session_duration").asInt();

        assertThat(sessionSeconds).as("the session outlasts the job's wait (describe-execution on fresh credentials)")
                .isGreaterThanOrEqualTo(jobSeconds);
        assertThat(roleSeconds).as("the deploy role allows sessions that long (STS refuses a longer one)")
                .isGreaterThanOrEqualTo(sessionSeconds).isLessThanOrEqualTo(43_200);
        int waitMinutes = step(job, "name", "Wait for the execution").at("/env/WAIT_MINUTES").asInt();
        assertThat(waitMinutes * 60).as("the wait ends, saying the execution still runs, before the job is cancelled")
                .isLessThan(jobSeconds);
        assertThat(workflow("deploy.yml").at("/on/workflow_dispatch/inputs/follow_execution/type").asText()).isEqualTo("string");
    }

    /** The deploy workflow's own script, run by bash for the actors GitHub has: people, bots, and names STS refuses. */
    @Test
    void theSessionName_isOneStsTakes_forEveryActor_andAPersonKeepsTheirName() throws Exception {
        JsonNode sessionStep = step(workflow("deploy.yml").at("/jobs/deploy"), "id", "session");
        // Who ran this run, not github.actor, which a re-run keeps from the first run: Alice re-running Bob's run would
        // otherwise start a release as Bob, and approve it.
        assertThat(sessionStep.at("/env/ACTOR").asText()).isEqualTo("${{ github.triggering_actor }}");
        String script = sessionStep.path("run").asText();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("alice", "alice");
        expected.put("github-actions[bot]", "github-actions-bot-");
        expected.put("dependabot[bot]", "dependabot-bot-");
        expected.put("a", "a-");
        expected.put("x".repeat(70), "x".repeat(64));
        expected.put("renovate bot", "renovate-bot");

        for (Map.Entry<String, String> actor : expected.entrySet()) {
            String name = session(script, actor.getKey());
            assertThat(name).as("session name of %s", actor.getKey()).isEqualTo(actor.getValue()).matches(STS_SESSION_NAME);
        }
        // Whoever started a release never approves it: the starter is known by the session's name, which for a person is
        // their login, the name the approvers list gives them.
        Caller starter = new Caller("arn:aws:sts::123456789012:assumed-role/sluice-github-deploy/" + session(script, "alice"));
        assertThat(Approvers.of(List.of("arn:aws:sts::123456789012:assumed-role/Approvers/alice=alice")).personOf(starter))
                .isEqualTo("alice");
    }

    private static String session(String script, String actor) throws Exception {
        Path output = Files.createTempFile("github-output", ".txt");
        try {
            ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true);
            bash.environment().put("ACTOR", actor);
            bash.environment().put("GITHUB_OUTPUT", output.toString());
            Process process = bash.start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(printed).isZero();
            List<String> lines = Files.readAllLines(output);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("name=");
            return lines.get(0).substring("name=".length());
        } finally {
            Files.delete(output);
        }
    }

    /**
     * shellcheck (the one {@code .ci/run} installs, {@code target/ci-tools/shellcheck}) on every {@code run:} script of
     * every workflow, as GitHub runs it ({@code bash -e}); each {@code ${{ ... }}} expression stands as the text GitHub
     * puts there.
     */
    @Test
    void everyRunScriptOfEveryWorkflow_passesShellcheck(@TempDir Path scripts) throws Exception {
        Path shellcheck = Path.of("target", "ci-tools", "shellcheck", "bin", "shellcheck");
        Assumptions.assumeTrue(Files.isExecutable(shellcheck), "shellcheck is not installed in target/ci-tools/shellcheck (.ci/run installs it)");
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yml")).sorted().toList()) {
                workflow(file.getFileName().toString()).path("jobs").fields().forEachRemaining(job -> {
                    int index = 0;
                    for (JsonNode step : job.getValue().path("steps")) {
                        index++;
                        if (step.has("run")) {
                            String name = file.getFileName() + "-" + job.getKey() + "-" + index + ".sh";
                            String body = step.path("run").asText().replaceAll("\\$\\{\\{[^}]*}}", "github-expression");
                            try {
                                Files.writeString(scripts.resolve(name), "#!/usr/bin/env bash\nset -e\n" + body);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            checked.add(name);
                        }
                    }
                });
            }
        }
        List<String> command = new ArrayList<>(List.of(shellcheck.toAbsolutePath().toString(), "--shell=bash", "--format=gcc"));
        command.addAll(checked);
        Process process = new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true).start();
        String findings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(checked).as("the workflows' run scripts").hasSizeGreaterThan(10);
        assertThat(findings).as("shellcheck on " + checked).isEmpty();
        assertThat(process.exitValue()).isZero();
    }
}
