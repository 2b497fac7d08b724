package io.sluice.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.sluice.config.SluiceConfig;
import io.sluice.event.Finding.Severity;
import io.sluice.event.SettingCheck;

/**
 * Rules for a production PostgreSQL's parameters: the guide's max_connections and shared_buffers rules, and the
 * usual ones for memory, WAL, autovacuum, security and required extensions. Each rule has an id, a severity, a
 * message and a recommendation; thresholds come from {@link SluiceConfig.Settings}.
 */
public final class SettingRules {

    private static final long MB = 1024L * 1024;

    private final SluiceConfig.Settings limits;

    public SettingRules(SluiceConfig.Settings limits) {
        this.limits = limits;
    }

    /** One rule: which parameter, how bad a failure is, and the check (null when it passes, else the problem). */
    private record Rule(String id, String setting, Severity severity, Function<PgSettings, String> problem, String recommendation) {
    }

    /**
     * Every rule checked against {@code server}.
     *
     * @param instanceMemoryMb   the server's memory, or null: the memory ratio rules then fall back to absolute ones
     * @param requiredExtensions extensions that must be installed
     */
    public List<SettingCheck> check(PgSettings server, Integer instanceMemoryMb, List<String> requiredExtensions) {
        List<SettingCheck> checks = new ArrayList<>();
        for (Rule rule : rules(instanceMemoryMb)) {
            PgSettings.Setting setting = server.get(rule.setting());
            String value = setting == null ? "(not set)" : setting.display();
            String problem = setting == null ? null : rule.problem().apply(server);
            checks.add(new SettingCheck(rule.id(), problem == null, rule.severity(), rule.setting(), value,
                    problem == null ? rule.setting() + " = " + value + " passes" : problem,
                    problem == null ? null : rule.recommendation()));
        }
        for (String extension : requiredExtensions) {
            boolean installed = server.extensions().contains(extension);
            boolean available = server.availableExtensions().contains(extension);
            checks.add(new SettingCheck("required-extension", installed, Severity.ERROR, "extension " + extension,
                    installed ? "installed" : available ? "available, not installed" : "not available",
                    installed ? extension + " is installed"
                            : extension + (available ? " is not installed" : " is not available on this server"),
                    installed ? null : available ? "CREATE EXTENSION " + extension + " in a migration"
                            : "add it to the server (on RDS: a supported extension, or shared_preload_libraries)"));
        }
        return checks;
    }

    private List<Rule> rules(Integer instanceMemoryMb) {
        long memory = instanceMemoryMb == null ? -1 : instanceMemoryMb * MB;
        return List.of(
                new Rule("max-connections", "max_connections", Severity.WARNING,
                        s -> integer(s, "max_connections") > limits.maxConnections()
                                ? "max_connections (" + integer(s, "max_connections") + ") exceeds the recommended "
                                        + limits.maxConnections() + ": every connection costs memory and CPU" : null,
                        "keep max_connections at 200-" + limits.maxConnections() + " and put a pooler (RDS Proxy, PgBouncer)"
                                + " in front"),
                new Rule("shared-buffers", "shared_buffers", Severity.WARNING,
                        s -> sharedBuffersProblem(s, memory),
                        memory > 0 ? "set shared_buffers to about 25% of memory (" + memory / 4 / MB + " MB)"
                                : "set shared_buffers to about 25% of the instance's memory"),
                new Rule("effective-cache-size", "effective_cache_size", Severity.WARNING,
                        s -> {
                            long cache = bytes(s, "effective_cache_size");
                            long floor = memory > 0 ? memory / 2 : 2 * bytes(s, "shared_buffers");
                            return cache < floor ? "effective_cache_size (" + s.get("effective_cache_size").display()
                                    + ") is below " + floor / MB + " MB: the planner will avoid index scans it should use" : null;
                        },
                        "set effective_cache_size to 50-75% of memory"),
                new Rule("work-mem", "work_mem", Severity.WARNING,
                        s -> {
                            long workMem = bytes(s, "work_mem");
                            if (memory > 0 && workMem * integer(s, "max_connections") > memory) {
                                return "work_mem × max_connections (" + workMem * integer(s, "max_connections") / MB
                                        + " MB) exceeds the instance's memory: a busy hour can run it out of memory";
                            }
                            return workMem > limits.workMemMaxMb() * MB ? "work_mem (" + s.get("work_mem").display()
                                    + ") is above " + limits.workMemMaxMb() + " MB for every sort of every connection" : null;
                        },
                        "keep work_mem small (4-64 MB) and raise it per session for reports"),
                new Rule("maintenance-work-mem", "maintenance_work_mem", Severity.WARNING,
                        s -> bytes(s, "maintenance_work_mem") < limits.maintenanceWorkMemMinMb() * MB
                                ? "maintenance_work_mem (" + s.get("maintenance_work_mem").display() + ") is below "
                                        + limits.maintenanceWorkMemMinMb() + " MB: index builds and vacuum will be slow" : null,
                        "set maintenance_work_mem to 256 MB-1 GB"),
                new Rule("wal-level", "wal_level", Severity.ERROR,
                        s -> s.get("wal_level").value().equals("minimal")
                                ? "wal_level is minimal: no replicas, no point-in-time recovery" : null,
                        "set wal_level to replica (the RDS default)"),
                new Rule("max-wal-size", "max_wal_size", Severity.WARNING,
                        s -> bytes(s, "max_wal_size") < limits.maxWalSizeMinMb() * MB ? "max_wal_size ("
                                + s.get("max_wal_size").display() + ") forces a checkpoint every " + s.get("max_wal_size").display()
                                + " of WAL: migrations and bulk loads slow down" : null,
                        "set max_wal_size to at least " + limits.maxWalSizeMinMb() + " MB"),
                new Rule("autovacuum", "autovacuum", Severity.ERROR,
                        s -> s.get("autovacuum").value().equals("off") ? "autovacuum is off: tables bloat and transaction ids"
                                + " wrap around" : null,
                        "turn autovacuum on"),
                new Rule("ssl", "ssl", Severity.ERROR,
                        s -> s.get("ssl").value().equals("off") ? "ssl is off: credentials and data cross the network in clear"
                                : null,
                        "turn ssl on and require it (rds.force_ssl = 1)"),
                new Rule("password-encryption", "password_encryption", Severity.ERROR,
                        s -> s.get("password_encryption").value().equals("scram-sha-256") ? null
                                : "password_encryption is " + s.get("password_encryption").value() + ": md5 hashes are weak",
                        "set password_encryption to scram-sha-256 and reset the passwords"),
                new Rule("idle-in-transaction-timeout", "idle_in_transaction_session_timeout", Severity.WARNING,
                        s -> s.get("idle_in_transaction_session_timeout").value().equals("0") ? "idle transactions are never"
                                + " ended: one forgotten BEGIN holds locks that every migration queues behind" : null,
                        "set idle_in_transaction_session_timeout (e.g. 5 min)"),
                new Rule("slow-query-log", "log_min_duration_statement", Severity.WARNING,
                        s -> s.get("log_min_duration_statement").value().equals("-1") ? "slow statements are not logged" : null,
                        "set log_min_duration_statement (e.g. 1000 ms)"));
    }

    private String sharedBuffersProblem(PgSettings s, long memory) {
        long buffers = bytes(s, "shared_buffers");
        if (memory > 0) {
            double ratio = (double) buffers / memory;
            if (ratio < limits.sharedBuffersMinRatio() || ratio > limits.sharedBuffersMaxRatio()) {
                return String.format("shared_buffers (%s) is %.0f%% of memory, outside %.0f-%.0f%%", s.get("shared_buffers").display(),
                        ratio * 100, limits.sharedBuffersMinRatio() * 100, limits.sharedBuffersMaxRatio() * 100);
            }
            return null;
        }
        return buffers < 128 * MB ? "shared_buffers (" + s.get("shared_buffers").display() + ") is below 128 MB" : null;
    }

    private static long bytes(PgSettings s, String name) {
        return s.get(name).bytes();
    }

    private static long integer(PgSettings s, String name) {
        return Long.parseLong(s.get(name).value());
    }
}
