package io.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.FleetCommandLine;
import io.sluice.function.FolderReports;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalExecutions;
import io.sluice.workflow.LocalResources;
import io.sluice.workflow.TaskResources;

/**
 * The local runner's cost of a fleet release: the fleet definition over 10, 100 and 500 databases of the embedded
 * server (each a fresh database, the sample release, MaxConcurrency 10, waits skipped), every database through the
 * pipeline definition as a child execution with the real functions. Beside the functions' own time (the wall time of
 * every function invocation, as Lambda bills it) it prints what the runner adds:
 * <ul>
 * <li>runner wall per database: each pipeline execution's wall time less the wall time of its function invocations
 * (its states, paths, intrinsics, one thread per task), summed and divided by the databases;</li>
 * <li>runner CPU: the process's CPU time less the CPU time of the threads that ran the functions (so JIT and GC count
 * against the runner: an upper bound);</li>
 * <li>peak heap (sampled every 10 ms) and the heap retained after the run (after a GC, with the results alive).</li>
 * </ul>
 * {@code ./mvnw -q test-compile exec:exec@bench-fleet}; {@code -Dbench.fleet.sizes=10,100} to choose the fleets.
 */
public final class FleetBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** What the bindings measured during one fleet. */
    private static final class Measured {
        final AtomicLong functionWall = new AtomicLong();
        final AtomicLong functionCpu = new AtomicLong();
        final AtomicLong childFunctionWall = new AtomicLong();
        final AtomicLong childWall = new AtomicLong();
        final AtomicLong childCpu = new AtomicLong();
        final AtomicLong invocations = new AtomicLong();
        /** Set in a pipeline's thread, inherited by the task threads its runner starts. */
        final InheritableThreadLocal<Boolean> inChild = new InheritableThreadLocal<>();

        TaskResources around(TaskResources resources) {
            return new TaskResources() {
                @Override
                public boolean serves(String resource) {
                    return resources.serves(resource);
                }

                @Override
                public JsonNode run(TaskCall call) {
                    long wall = System.nanoTime();
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    boolean child = call.resource().equals(LocalExecutions.START_EXECUTION_SYNC);
                    if (child) {
                        inChild.set(Boolean.TRUE);
                    }
                    try {
                        return resources.run(call);
                    } finally {
                        long took = System.nanoTime() - wall;
                        if (child) {
                            childWall.addAndGet(took);
                            childCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
                            inChild.set(null);
                        } else if (call.resource().equals(LocalResources.LAMBDA_INVOKE)) {
                            functionWall.addAndGet(took);
                            functionCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
                            invocations.incrementAndGet();
                            if (Boolean.TRUE.equals(inChild.get())) {
                                childFunctionWall.addAndGet(took);
                            }
                        }
                    }
                }
            };
        }
    }

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        List<Integer> sizes = new ArrayList<>();
        for (String size : System.getProperty("bench.fleet.sizes", "10,100,500").split(",")) {
            sizes.add(Integer.parseInt(size.strip()));
        }
        PostgresServer server = PostgresServer.get();
        String template = Files.readString(FleetCommandLine.DEFAULT_DEFINITION);
        String pipeline = Files.readString(PipelineCommandLine.DEFAULT_DEFINITION);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
            }
        }, true, StandardCharsets.UTF_8);
        // A first small fleet warms the JVM and the functions, as a warm Lambda would be.
        run(server, 5, template, pipeline, quiet);
        System.out.printf("Fleet release on the local runner: the sample release, MaxConcurrency 10, waits skipped (%d cores)%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%9s %7s %11s %9s %11s %11s %12s %10s %11s %10s %9s %8s%n", "databases", "wall s", "functions s", "func CPU",
                "invocations", "runner CPU", "runner/db ms", "runner %", "waits/db ms", "process s", "peak MB", "kept MB");
        for (int size : sizes) {
            Row row = run(server, size, template, pipeline, quiet);
            System.out.printf("%9d %7.1f %11.1f %9.1f %11d %11.2f %12.1f %9.2f%% %11.1f %10.1f %9.0f %8.0f%n", size, row.wallSeconds(),
                    row.functionSeconds(), row.functionCpuSeconds(), row.invocations(), row.runnerCpuSeconds(), row.runnerCpuPerDatabaseMs(),
                    100 * row.runnerShare(), row.pipelineWaitPerDatabaseMs(), row.processCpuSeconds(), row.peakMb(), row.keptMb());
        }
        System.out.println("""
                functions s: the wall time of every function invocation, summed (what Lambda bills); func CPU: their threads' CPU.
                runner CPU: the CPU of the runner's own threads (the fleet's states, and each pipeline's states on the thread that runs
                  it; the Map's item threads, which only start each child, are not counted); runner %: runner CPU against functions s.
                waits/db: a pipeline's wall time less its functions', per database: the runner's work plus the wait for a core
                  (10 pipelines at once on this machine's cores) plus thread starts, one per task.
                process s: all CPU of this process (functions, runner, the JDBC driver's login threads, JIT, GC).""");
        System.exit(0);
    }

    private record Row(double wallSeconds, double functionSeconds, double functionCpuSeconds, long invocations, double runnerCpuSeconds,
            double runnerCpuPerDatabaseMs, double runnerShare, double pipelineWaitPerDatabaseMs, double processCpuSeconds, double peakMb,
            double keptMb) {
    }

    private static Row run(PostgresServer server, int size, String template, String pipeline, PrintStream quiet) throws Exception {
        List<TestDatabase> databases = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            databases.add(server.newDatabase());
        }
        ObjectNode input = JSON.createObjectNode().put("deploymentId", "bench-" + size).put("migrations", "classpath:db/migration")
                .put("autoApproveUpTo", 3);
        input.putObject("canary").put("waitSeconds", 60).putArray("probes").add("SELECT count(*) FROM orders WHERE status = 'new'");
        ObjectNode fleet = input.putObject("fleet").put("maxConcurrency", 10);
        ArrayNode targets = fleet.putArray("targets");
        for (int i = 0; i < size; i++) {
            ObjectNode target = targets.addObject().put("name", "tenant-" + (i + 1));
            target.set("database", JSON.readTree(databases.get(i).targetJson()));
            target.putObject("canary").put("parameterName", "/tenants/" + (i + 1) + "/canary-percent");
        }
        Path objects = Files.createTempDirectory("fleet-bench");
        Measured measured = new Measured();
        FleetCommandLine.Setup setup = new FleetCommandLine.Setup(LocalFunctions.config("test"), new FolderReports(objects.resolve("reports")),
                objects, LocalApprovals.approving(0, quiet), 900, 0, LocalFunctions.LOCAL_APPROVAL_LIMIT, measured::around);
        System.gc();
        AtomicLong peak = new AtomicLong(MEMORY.getHeapMemoryUsage().getUsed());
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long mainCpu = THREADS.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        FleetCommandLine.Result result = FleetCommandLine.execute(template, pipeline, input, "bench-" + size + "-" + System.nanoTime() % 100_000,
                setup, quiet);
        long wall = System.nanoTime() - started;
        long runnerCpu = THREADS.getCurrentThreadCpuTime() - mainCpu + measured.childCpu.get();
        long processCpu = os.getProcessCpuTime() - cpu;
        sampling.set(false);
        sampler.join();
        if (result.execution().status() != Execution.Status.SUCCEEDED || result.summary().path("released").asInt() != size) {
            throw new IllegalStateException("the fleet of " + size + " was not released: " + result.execution().error() + ": "
                    + result.execution().cause());
        }
        System.gc();
        long kept = MEMORY.getHeapMemoryUsage().getUsed();
        Row row = new Row(wall / 1e9, measured.functionWall.get() / 1e9, measured.functionCpu.get() / 1e9, measured.invocations.get(),
                runnerCpu / 1e9, runnerCpu / 1e6 / size, (double) runnerCpu / measured.functionWall.get(),
                (measured.childWall.get() - measured.childFunctionWall.get()) / 1e6 / size, processCpu / 1e9, peak.get() / 1048576.0,
                kept / 1048576.0);
        return row;
    }
}
