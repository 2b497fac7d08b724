package io.sluice.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.LocalFleetObjects;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DeploymentId;
import io.sluice.event.FleetRequest;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.workflow.LocalObjects;

/** Cutting a fleet into waves, and refusing a fleet that could not be released as given, before anything is written. */
class FleetPlannerTest {

    private static final ObjectMapper JSON = new EventCodec().mapper();
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:sluice-fleet:fleet-1";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-";

    @TempDir
    Path dir;

    private FleetPlanner planner(List<String> allowedSecrets) {
        DatabaseTargets targets = new DatabaseTargets(false, allowedSecrets, List.of("."));
        return new FleetPlanner(JSON, new LocalFleetObjects(new LocalObjects(dir)), "fleet-bucket", targets::check);
    }

    private static FleetRequest waves(String fleet, String canary) throws Exception {
        return new FleetRequest(DeploymentId.of("release-9"), "waves", EXECUTION, JSON.readTree(fleet), canary == null ? null : JSON.readTree(canary),
                null, null, null, null);
    }

    private static String targets(int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            json.append(i == 1 ? "" : ",").append("{\"name\": \"tenant-").append(i).append("\", \"database\": {\"secretArn\": \"")
                    .append(SECRET).append(i).append("\"}}");
        }
        return json.append("]").toString();
    }

    @Test
    void fiftyDatabases_areOneCanary_then5Percent_then25Percent_thenTheRest() throws Exception {
        WavePlan plan = planner(List.of()).plan(waves("{\"targets\": " + targets(50) + "}", "{\"waitSeconds\": 60}"));

        assertThat(plan.waves()).extracting(WavePlan.Wave::label).containsExactly("canary", "5%", "25%", "rest");
        assertThat(plan.waves()).extracting(WavePlan.Wave::count).containsExactly(1, 3, 13, 33);
        assertThat(plan.waves()).extracting(WavePlan.Wave::toleratedFailurePercentage).containsExactly(0.0, 0.0, 0.0, 0.0);
        assertThat(plan.prefix()).isEqualTo("fleet/fleet-1/");
        assertThat(plan.canaryTarget().path("name").asText()).isEqualTo("tenant-1");
        JsonNode second = JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/wave-2.json").toFile());
        assertThat(second.toString()).isEqualTo("[{\"name\":\"tenant-2\",\"database\":{\"secretArn\":\"" + SECRET + "2\"},\"canary\":"
                + "{\"waitSeconds\":60}},{\"name\":\"tenant-3\",\"database\":{\"secretArn\":\"" + SECRET + "3\"},\"canary\":{\"waitSeconds\":60}},"
                + "{\"name\":\"tenant-4\",\"database\":{\"secretArn\":\"" + SECRET + "4\"},\"canary\":{\"waitSeconds\":60}}]");
        assertThat(JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/plan.json").toFile()).path("deploymentId").asText())
                .isEqualTo("release-9");
    }

    /**
     * With reserved concurrency, migrate runs 2 at once: a wave of 10 pipelines at once had 8 throttled until their
     * retries ran out (about 75 s), and the canary wave's 0 % tolerance stopped the fleet. The wave runs at the
     * reservation, and the plan says why.
     */
    @Test
    void aWaveRunsNoMorePipelinesAtOnceThanTheReservationsAllow_andThePlanSaysWhy() throws Exception {
        FleetPlanner reserved = new FleetPlanner(JSON, new LocalFleetObjects(new LocalObjects(dir)), "fleet-bucket",
                DatabaseTargets.LOCAL::check, java.util.Optional.of(2));

        WavePlan asked10 = reserved.plan(waves("{\"maxConcurrency\": 10, \"targets\": " + targets(30) + "}", null));
        WavePlan unlimited = reserved.plan(waves("{\"maxConcurrency\": 0, \"targets\": " + targets(30) + "}", null));
        WavePlan one = reserved.plan(waves("{\"maxConcurrency\": 1, \"targets\": " + targets(30) + "}", null));
        WavePlan unreserved = planner(List.of()).plan(waves("{\"maxConcurrency\": 10, \"targets\": " + targets(30) + "}", null));

        assertThat(asked10.maxConcurrency()).isEqualTo(2);
        assertThat(asked10.concurrencyNote()).isEqualTo("fleet.maxConcurrency 10 runs at 2: the functions' reserved concurrency"
                + " (function_reserved_concurrency) runs 2 pipeline(s) at once, and more would be throttled until their retries ran"
                + " out and counted as failed releases");
        assertThat(unlimited.maxConcurrency()).isEqualTo(2);
        assertThat(unlimited.concurrencyNote()).startsWith("fleet.maxConcurrency 0 (no limit) runs at 2:");
        assertThat(one.maxConcurrency()).isEqualTo(1);
        assertThat(one.concurrencyNote()).isNull();
        assertThat(unreserved.maxConcurrency()).isEqualTo(10);
        assertThat(JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/plan.json").toFile()).path("maxConcurrency").asInt())
                .isEqualTo(10);
    }

    @Test
    void theCanaryWaveToleratesNothing_laterWavesTheInputsShare_andATargetsCanaryFieldsOverTheReleases() throws Exception {
        String fleet = "{\"canaryDatabases\": 2, \"waves\": [50], \"toleratedFailurePercentage\": 10, \"targets\": [{\"name\": \"a\","
                + " \"database\": {\"secretArn\": \"" + SECRET + "a\"}, \"canary\": {\"parameterName\": \"/a/canary\"}}, {\"name\": \"b\","
                + " \"database\": {\"secretArn\": \"" + SECRET + "b\"}}, {\"name\": \"c\", \"database\": {\"secretArn\": \"" + SECRET + "c\"}}]}";

        WavePlan plan = planner(List.of()).plan(waves(fleet, "{\"parameterName\": \"/app/canary\", \"waitSeconds\": 30}"));

        assertThat(plan.waves()).extracting(WavePlan.Wave::count).containsExactly(2, 1);
        assertThat(plan.waves()).extracting(WavePlan.Wave::toleratedFailurePercentage).containsExactly(0.0, 10.0);
        JsonNode canary = JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/wave-1.json").toFile());
        assertThat(canary.get(0).path("canary").toString()).isEqualTo("{\"parameterName\":\"/a/canary\",\"waitSeconds\":30}");
        assertThat(canary.get(1).path("canary").toString()).isEqualTo("{\"parameterName\":\"/app/canary\",\"waitSeconds\":30}");
    }

    @Test
    void aCsvManifest_givesEachRowsSecret_andItsCanaryParameter() throws Exception {
        Path manifest = dir.resolve("manifests/tenants.csv");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "name,secretArn,canaryParameterName\r\nacme," + SECRET + "acme,/acme/canary\r\nglobex," + SECRET
                + "globex,\r\n");

        WavePlan plan = planner(List.of()).plan(waves("{\"manifest\": {\"bucket\": \"manifests\", \"key\": \"tenants.csv\", \"format\": \"CSV\"}}",
                null));

        assertThat(plan.targets()).isEqualTo(2);
        JsonNode second = JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/wave-2.json").toFile());
        assertThat(second.toString()).isEqualTo("[{\"name\":\"globex\",\"database\":{\"secretArn\":\"" + SECRET + "globex\"},\"canary\":{}}]");
        assertThat(JSON.readTree(dir.resolve("fleet-bucket/fleet/fleet-1/wave-1.json").toFile()).get(0).path("canary").toString())
                .isEqualTo("{\"parameterName\":\"/acme/canary\"}");
    }

    @Test
    void aFleetThatCannotBeReleasedAsGiven_isRefused_andNothingIsWritten() {
        String allowedA = "{\"name\": \"a\", \"database\": {\"secretArn\": \"" + SECRET + "a\"}}";
        List.of(
                List.of("{\"targets\": [" + allowedA + ", {\"name\": \"b\", \"database\": {\"secretArn\": \"" + SECRET + "b\"}}]}",
                        "the fleet's target 2 (b): field 'database.secretArn': " + SECRET + "b is not a secret this deployment may use"),
                List.of("{\"targets\": [" + allowedA + ", {\"name\": \"a\", \"database\": {\"secretArn\": \"" + SECRET + "a\"}}]}",
                        "the fleet's target 2: the name a is given twice"),
                List.of("{\"targets\": [" + allowedA + ", {\"name\": \"b\", \"database\": {\"jdbcUrl\": \"jdbc:postgresql://evil:5432/x\","
                        + " \"username\": \"u\", \"password\": \"p\"}}]}", "the fleet's target 2 (b): field 'database': this deployment takes"
                        + " its database from Secrets Manager only"),
                List.of("{\"targets\": [" + allowedA + "], \"manifest\": {\"bucket\": \"m\", \"key\": \"k\"}}",
                        "field 'fleet' must have 'targets' (the databases) or 'manifest' (where they are listed), one of them"),
                List.of("{\"targets\": [" + allowedA + "], \"waves\": [0]}", "field 'fleet.waves' holds shares above 0 and at most 100"),
                List.of("{\"targets\": [" + allowedA + "], \"canaryDatabases\": 2}", "field 'fleet.canaryDatabases' is 2, more than the"
                        + " fleet's 1 database(s)"),
                List.of("{\"targets\": [" + allowedA + "], \"parallel\": true}", "field 'fleet.parallel' is unknown"),
                List.of("{\"targets\": [" + allowedA + "], \"maxConcurrency\": \"ten\"}", "field 'fleet.maxConcurrency' must be a whole"
                        + " number from 0 to 10000"),
                List.of("{\"targets\": [" + allowedA + "], \"rollbackFailedWave\": \"yes\"}", "field 'fleet.rollbackFailedWave' must be"
                        + " true or false"),
                List.of("{\"targets\": [{\"name\": \"../a\", \"database\": {\"secretArn\": \"" + SECRET + "a\"}}]}",
                        "the fleet's target 1: 'name' must be 1-80 letters, digits"),
                List.of("{\"manifest\": {\"bucket\": \"manifests\", \"key\": \"../../etc/passwd\"}}", "leads out of bucket manifests's folder"))
                .forEach(refused -> assertThatThrownBy(() -> planner(List.of(SECRET + "a")).plan(waves(refused.get(0), null)))
                        .as(refused.get(0)).isInstanceOf(InvalidRequest.class).hasMessageContaining(refused.get(1)));
        assertThat(dir.resolve("fleet-bucket")).doesNotExist();
    }

    @Test
    void cuts_growByShare_eachAtLeastOneDatabase_andTheRestLast() {
        assertThat(FleetPlanner.cuts(1, 1, List.of(5.0, 25.0))).extracting(cut -> cut[1] - cut[0]).containsExactly(1);
        assertThat(FleetPlanner.cuts(10, 1, List.of(5.0, 25.0))).extracting(cut -> cut[1] - cut[0]).containsExactly(1, 1, 3, 5);
        assertThat(FleetPlanner.cuts(500, 1, List.of(5.0, 25.0))).extracting(cut -> cut[1] - cut[0]).containsExactly(1, 25, 125, 349);
        assertThat(FleetPlanner.cuts(4, 1, List.of(50.0, 100.0))).extracting(cut -> cut[1] - cut[0]).containsExactly(1, 2, 1);
    }

    @Test
    void theEventItself_isCheckedBeforeAnyPlan() {
        assertThatThrownBy(() -> new FleetRequest(DeploymentId.of("r"), "everything", EXECUTION, null, null, null, null, null, null))
                .hasMessage("field 'mode' must be 'waves', 'summary' or 'approval', not 'everything'");
        assertThatThrownBy(() -> new FleetRequest(DeploymentId.of("r"), "summary", "arn:aws:states:us-east-1:123456789012:execution:x:../../y",
                null, null, null, null, null, null)).hasMessageStartingWith("field 'execution' must be the fleet execution's ARN");
        ObjectNode notAnObject = JSON.createObjectNode();
        assertThatThrownBy(() -> new FleetRequest(DeploymentId.of("r"), "approval", EXECUTION, null, null, notAnObject, null, 1, null))
                .hasMessageStartingWith("field 'database' is required with mode 'approval'");
    }
}
