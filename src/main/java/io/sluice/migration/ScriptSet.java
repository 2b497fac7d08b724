package io.sluice.migration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.flywaydb.core.api.MigrationVersion;

import io.sluice.error.InvalidRequest;
import io.sluice.event.MigrationSource;

/**
 * Every script of one migration source, loaded into memory. Sluice reads scripts once and hands the same text to
 * Flyway (through {@link ScriptResources}), to the planner and to the undo check, so all of them see one truth.
 */
public final class ScriptSet {

    private final MigrationSource source;
    private final Map<String, Script> byPath = new LinkedHashMap<>();
    private final TreeMap<MigrationVersion, Script> versioned = new TreeMap<>();
    private final TreeMap<MigrationVersion, Script> undo = new TreeMap<>();
    /** Decided once per script: every step asks (plan, Flyway's script configuration, each try's lock_timeout, the report). */
    private final Map<String, Boolean> transactional = new ConcurrentHashMap<>();

    public ScriptSet(MigrationSource source, List<Script> scripts) {
        this.source = source;
        scripts.stream().sorted(Comparator.comparing(Script::path)).forEach(this::add);
    }

    private void add(Script script) {
        script.phase(); // a declaration that names no phase stops the load, before anything runs in the wrong phase
        byPath.put(script.path(), script);
        switch (script.kind()) {
            case VERSIONED -> putUnique(versioned, script, "versioned");
            case UNDO -> putUnique(undo, script, "undo");
            default -> { }
        }
    }

    private void putUnique(Map<MigrationVersion, Script> index, Script script, String what) {
        Script previous = index.putIfAbsent(script.version(), script);
        if (previous != null) {
            throw new InvalidRequest("two " + what + " scripts in " + source + " have version " + script.version()
                    + ": " + previous.path() + " and " + script.path() + "; give each a version of its own");
        }
    }

    public MigrationSource source() {
        return source;
    }

    private volatile String digest;

    /**
     * The SHA-256 of every script's path and text: two sets with the same digest are the same scripts, wherever they
     * were read from. Computed once.
     */
    public String digest() {
        String known = digest;
        if (known == null) {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            for (Script script : byPath.values()) {
                for (String part : new String[] {script.path(), script.content()}) {
                    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                    sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                    sha256.update(bytes);
                }
            }
            known = HexFormat.of().formatHex(sha256.digest());
            digest = known;
        }
        return known;
    }

    public Optional<Script> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public List<Script> all() {
        return List.copyOf(byPath.values());
    }

    public List<Script> ofKind(Script.Kind kind) {
        List<Script> result = new ArrayList<>();
        for (Script script : byPath.values()) {
            if (script.kind() == kind) {
                result.add(script);
            }
        }
        return result;
    }

    public Optional<Script> versioned(MigrationVersion version) {
        return Optional.ofNullable(versioned.get(version));
    }

    public Optional<Script> undoFor(MigrationVersion version) {
        return Optional.ofNullable(undo.get(version));
    }

    /** Whether {@code script} runs in a transaction, honouring its {@code .sql.conf} when it has one. */
    public boolean isTransactional(Script script) {
        return transactional.computeIfAbsent(script.path(),
                path -> Transactionality.isTransactional(script, byPath.get(path + ".conf")));
    }

    /** The highest versioned script's version, or null when there is none. */
    public MigrationVersion latestVersion() {
        return versioned.isEmpty() ? null : versioned.lastKey();
    }

    public int size() {
        return byPath.size();
    }
}
