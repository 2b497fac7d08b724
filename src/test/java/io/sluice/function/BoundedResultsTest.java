package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Results cut to the budget: what is kept, what the cut result says, and that the whole one is kept as it was. */
class BoundedResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Remembers what it was given to keep. */
    private static final class Kept implements FullReports {
        final List<byte[]> reports = new ArrayList<>();

        @Override
        public Optional<String> keep(String function, String deploymentId, byte[] report) {
            reports.add(report);
            return Optional.of("s3://bundles/reports/" + deploymentId + "/" + function + "-1.json");
        }
    }

    /** A migrate report of {@code scripts} scripts: a plan and an applied list of that many entries. */
    private static ObjectNode migrateReport(int scripts) {
        ObjectNode report = JSON.createObjectNode().put("deploymentId", "release-42").put("status", "MIGRATED").put("versionBefore", "0")
                .put("versionAfter", Integer.toString(scripts));
        ArrayNode plan = report.putArray("plan");
        ArrayNode applied = report.putArray("applied");
        for (int v = 1; v <= scripts; v++) {
            plan.addObject().put("version", Integer.toString(v)).put("script", "V" + v + "__orders_" + v + ".sql").put("transactional", true)
                    .put("checksum", 1_000_000 + v);
            applied.addObject().put("version", Integer.toString(v)).put("script", "V" + v + "__orders_" + v + ".sql").put("executionMs", v);
        }
        report.putNull("rdsSnapshot");
        return report;
    }

    private static JsonNode read(byte[] json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aResultWithinTheBudget_isReturnedAsItIs_andNothingIsKept() throws Exception {
        Kept kept = new Kept();
        ObjectNode report = migrateReport(3);

        byte[] returned = new BoundedResults(JSON, kept, 4_096).bound("migrate", "release-42", report);

        assertThat(read(returned)).isEqualTo(report);
        assertThat(kept.reports).isEmpty();
    }

    @Test
    void aResultOverTheBudget_keepsItsScalars_cutsItsLists_saysWhatWasCut_andIsKeptWhole() throws Exception {
        Kept kept = new Kept();
        ObjectNode report = migrateReport(600);
        byte[] whole = JSON.writeValueAsBytes(report);

        byte[] returned = new BoundedResults(JSON, kept, 8_192).bound("migrate", "release-42", report);

        assertThat(whole.length).isGreaterThan(60_000);
        assertThat(returned.length).isLessThanOrEqualTo(8_192);
        JsonNode cut = read(returned);
        assertThat(cut.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(cut.get("versionAfter").asText()).isEqualTo("600");
        assertThat(cut.get("rdsSnapshot").isNull()).isTrue();
        assertThat(cut.get("truncated").toString()).isEqualTo("{\"/plan\":600,\"/applied\":600}");
        assertThat(cut.get("fullReport").asText()).isEqualTo("s3://bundles/reports/release-42/migrate-1.json");
        assertThat(cut.get("plan").size()).isBetween(1, 599);
        assertThat(cut.get("applied").size()).isBetween(1, 599);
        assertThat(cut.at("/plan/0/script").asText()).as("the first entries are kept, in order").isEqualTo("V1__orders_1.sql");
        assertThat(cut.at("/applied/0/script").asText()).isEqualTo("V1__orders_1.sql");
        assertThat(kept.reports).hasSize(1);
        assertThat(kept.reports.get(0)).as("kept as it was, not cut").isEqualTo(whole);
    }

    @Test
    void withNowhereConfigured_theWholeReportIsKeptOnTheFunctionsDisk_andTheCutResultNamesIt() throws Exception {
        byte[] whole = JSON.writeValueAsBytes(migrateReport(600));
        byte[] returned = new BoundedResults(JSON, FullReports.NONE, 8_192).bound("validate", "drift-schedule", migrateReport(600));

        JsonNode cut = read(returned);
        assertThat(cut.get("truncated").has("/plan")).isTrue();
        Path report = Path.of(cut.get("fullReport").asText());
        assertThat(report).startsWith(Path.of(System.getProperty("java.io.tmpdir"), "sluice-reports", "drift-schedule"));
        assertThat(Files.readAllBytes(report)).as("kept as it was, not cut").isEqualTo(whole);
    }

    /** A real history's preflight with measured locks: 544 lint findings, 68 of which fit. Every one is in the whole report. */
    @Test
    void aPreflightOf544LintFindings_cutToWhatFits_namesAWholeReportHoldingAll544() throws Exception {
        ObjectNode report = JSON.createObjectNode().put("deploymentId", "release-544").put("mode", "preflight").put("valid", false);
        ObjectNode lint = report.putObject("lint").put("scripts", 228).put("statements", 4_113);
        ArrayNode findings = lint.putArray("findings");
        for (int i = 1; i <= 544; i++) {
            findings.addObject().put("rule", "require-concurrent-index-creation").put("severity", "ERROR")
                    .put("script", "V" + i + "__oauth_" + i + ".sql").put("line", i % 40 + 1)
                    .put("statement", "CREATE INDEX idx_" + i + " ON oauth_access_token (client_id, user_id, expires_at)")
                    .put("message", "the index on oauth_access_token is built without CONCURRENTLY")
                    .put("why", "A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE waits.")
                    .put("fix", "CREATE INDEX CONCURRENTLY (in a script of its own; Sluice runs it outside a transaction).");
        }
        Path folder = Files.createTempDirectory("sluice-reports");

        byte[] returned = new BoundedResults(JSON, new FolderReports(folder), 32 * 1024).bound("validate", "release-544", report);

        JsonNode cut = read(returned);
        int shown = cut.at("/lint/findings").size();
        assertThat(shown).isBetween(1, 543);
        assertThat(cut.at("/truncated/~1lint~1findings").asInt()).isEqualTo(544);
        JsonNode whole = JSON.readTree(Path.of(cut.get("fullReport").asText()).toFile());
        assertThat(whole.at("/lint/findings")).hasSize(544);
        assertThat(whole.at("/lint/findings/543/script").asText()).isEqualTo("V544__oauth_544.sql");
    }

    @Test
    void listsInsideListItems_areCutFirstWhereTheyAreLargest_andEntriesUnderRemovedItemsAreForgotten() throws Exception {
        ObjectNode report = JSON.createObjectNode().put("mode", "preflight");
        ArrayNode proofs = report.putArray("reversibility");
        for (int i = 0; i < 40; i++) {
            ArrayNode differences = proofs.addObject().put("script", "V" + i + "__x.sql").putArray("differences");
            for (int d = 0; d < (i == 0 ? 400 : 5); d++) {
                differences.addObject().put("name", "public.t" + i + ".c" + d).put("change", "CHANGED");
            }
        }

        byte[] returned = new BoundedResults(JSON, new Kept(), 6_000).bound("validate", "release-7", report);

        JsonNode cut = read(returned);
        assertThat(returned.length).isLessThanOrEqualTo(6_000);
        assertThat(cut.get("truncated").get("/reversibility/0/differences").asInt()).as("the one list that dwarfs the rest").isEqualTo(400);
        cut.get("truncated").fieldNames().forEachRemaining(pointer ->
                assertThat(cut.at(pointer).isMissingNode()).as("%s points at what is left", pointer).isFalse());
    }

    @Test
    void aSingleTextOverTheBudget_isCutWithAMark_andItsLengthRecorded() throws Exception {
        String script = "-- reconcile\n" + "ALTER TABLE t ADD COLUMN c integer;\n".repeat(2_000);
        ObjectNode report = JSON.createObjectNode().put("mode", "drift").put("reconcileScript", script);

        byte[] returned = new BoundedResults(JSON, new Kept(), 4_096).bound("validate", "drift-schedule", report);

        JsonNode cut = read(returned);
        assertThat(returned.length).isLessThanOrEqualTo(4_096);
        assertThat(cut.get("mode").asText()).isEqualTo("drift");
        assertThat(cut.get("reconcileScript").asText()).startsWith("-- reconcile\nALTER TABLE t ADD COLUMN c integer;\n")
                .endsWith(BoundedResults.CUT_MARK);
        assertThat(cut.at("/truncated/~1reconcileScript").asInt()).isEqualTo(script.length());
        assertThat(new String(returned, StandardCharsets.UTF_8)).doesNotContain("\"fullReport\":null");
    }
}
