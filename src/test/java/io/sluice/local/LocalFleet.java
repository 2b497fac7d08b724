package io.sluice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.FleetCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * Runs a fleet release on a laptop: the fleet definition {@code terraform/statemachine/fleet.asl.json} on Sluice's local
 * runner, each database through the pipeline definition as a child execution, the functions in this process, on
 * {@code events/fleet/fleet.json} with its targets replaced by {@code -Dlocal.fleet.databases} (default 50) databases of
 * an embedded PostgreSQL. One database of the second wave ({@code tenant-03}) is seeded to fail its canary: its own
 * canary (the target's {@code canary} override, as a hand-built tenant's) probes a column the release does not bring,
 * so its probes fail after migrate, its pipeline rolls it back, and the fleet stops after that wave.
 * Waits are scaled down. Extra arguments go to {@code fleet}; exits non-zero when the fleet stops.
 */
public final class LocalFleet {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULTS = Path.of("target", "local-fleet");
    /** The seeded tenant's probe: the sample release makes customers without a region. */
    private static final String FAILING_PROBE = "SELECT count(*) FROM customers WHERE region = 'eu'";

    private LocalFleet() {
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(RESULTS);
        int count = Integer.getInteger("local.fleet.databases", 50);
        String seeded = System.getProperty("local.fleet.failing", "tenant-03");
        System.out.print("Starting an embedded PostgreSQL ... ");
        long start = System.nanoTime();
        PostgresServer server = PostgresServer.get();
        System.out.printf("ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        System.out.printf("Creating %d tenant databases (%s probing a column the release does not bring) ... ", count, seeded);
        start = System.nanoTime();
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "fleet", "fleet.json").toFile());
        ArrayNode targets = ((ObjectNode) input.get("fleet")).putArray("targets");
        for (int i = 1; i <= count; i++) {
            String name = String.format("tenant-%02d", i);
            TestDatabase db = server.newDatabase();
            ObjectNode target = targets.addObject().put("name", name);
            target.set("database", JSON.readTree(db.targetJson()));
            ObjectNode own = target.putObject("canary").put("parameterName", "/tenants/" + name + "/canary-percent");
            if (name.equals(seeded)) {
                own.putArray("probes").add(FAILING_PROBE);
            }
        }
        System.out.printf("%d ms%n", (System.nanoTime() - start) / 1_000_000);
        Path record = RESULTS.resolve("input.json");
        Path inputFile = RunInputs.write(record, input);
        System.out.printf("Input: events/fleet/fleet.json with %d embedded databases: %s%n", count, record);

        List<String> arguments = new ArrayList<>(List.of("--input", inputFile.toString(), "--wait-scale", "0.02",
                "--objects", RESULTS.resolve("objects").toString(), "--reports", RESULTS.resolve("reports").toString()));
        if (Boolean.getBoolean("local.verbose")) {
            arguments.add("--verbose");
        }
        arguments.addAll(List.of(args));
        System.exit(FleetCommandLine.run(arguments.toArray(String[]::new), System.out, System.err));
    }
}
