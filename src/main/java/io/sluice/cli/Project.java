package io.sluice.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * Where the database and the scripts are, and Sluice's own settings, as a team's project already says it: each of
 * {@link #KEYS} from the first source that has it, in this order:
 * <ol>
 * <li>the flag ({@code --url}, {@code --user}, {@code --password}, {@code --secret-arn}, {@code --migrations},
 * {@code --schema});</li>
 * <li>the environment: {@code SLUICE_URL}, {@code SLUICE_USER}, {@code SLUICE_PASSWORD}, {@code SLUICE_SECRET_ARN},
 * {@code SLUICE_MIGRATIONS}, {@code SLUICE_SCHEMA}, then Flyway's {@code FLYWAY_URL}, {@code FLYWAY_USER},
 * {@code FLYWAY_PASSWORD}, {@code FLYWAY_LOCATIONS}, {@code FLYWAY_SCHEMAS}, then {@code PGPASSWORD};</li>
 * <li>the files: {@code sluice.toml}'s {@code [project]} table, then Flyway's {@code flyway.toml} (its
 * {@code [environments.<name>]} and {@code [flyway]} tables) and {@code flyway.conf}, in the working directory (or
 * those {@code --config} and {@code --flyway-config} name).</li>
 * </ol>
 * Every other table of {@code sluice.toml} is Sluice's configuration: {@code [lint] approvals-major = 2} is
 * {@code sluice.lint.approvals-major}, below the environment's {@code SLUICE_LINT_APPROVALS_MAJOR}; {@code [canary]} and
 * {@code [pipeline]} hold the defaults of {@code sluice canary-check} and {@code sluice pipeline run}.
 */
final class Project {

    /** The settings that say where: flag names, {@code [project]} keys. */
    static final List<String> KEYS = List.of("url", "user", "password", "secret-arn", "migrations", "schema");

    /** Tables of sluice.toml that hold a command's defaults rather than configuration properties. */
    private static final Set<String> COMMAND_TABLES = Set.of("project", "canary", "pipeline");

    /** Flyway settings Sluice reads; the ones it ignores, harmlessly; every other one is refused, naming it. */
    private static final Set<String> FLYWAY_READ = Set.of("url", "user", "password", "schemas", "defaultSchema", "locations", "table");
    private static final Set<String> FLYWAY_IGNORED = Set.of("cleanDisabled", "validateOnMigrate", "connectRetries",
            "connectRetriesInterval", "baselineOnMigrate", "baselineVersion", "baselineDescription", "outOfOrder", "mixed", "group",
            "createSchemas", "failOnMissingLocations", "validateMigrationNaming", "sqlMigrationPrefix", "undoSqlMigrationPrefix",
            "repeatableSqlMigrationPrefix", "sqlMigrationSeparator", "sqlMigrationSuffixes", "encoding", "environment", "driver",
            "licenseKey", "placeholderReplacement", "reportEnabled");

    private static final TomlMapper TOML = new TomlMapper();

    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Map<String, String> settings;
    private final ObjectNode canary;
    private final ObjectNode pipeline;

    private Project(Map<String, String> values, Map<String, String> origins, Map<String, String> settings, ObjectNode canary,
            ObjectNode pipeline) {
        this.values = values;
        this.origins = origins;
        this.settings = settings;
        this.canary = canary;
        this.pipeline = pipeline;
    }

    /** A project's setting that is refused: a file Sluice cannot read, a Flyway setting it cannot honour. */
    static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param flags             the flags given, by key ({@link #KEYS}); absent ones null or missing
     * @param sluiceToml        {@code --config}, or null for {@code sluice.toml} in {@code workingDirectory} if there is one
     * @param flywayConfig      {@code --flyway-config}, or null for {@code flyway.toml} and {@code flyway.conf} there
     * @param flywayEnvironment {@code --environment}, or null for {@code FLYWAY_ENVIRONMENT}, {@code [flyway].environment},
     *                          {@code default}
     */
    static Project resolve(Map<String, String> flags, Map<String, String> environment, Path workingDirectory, Path sluiceToml,
            Path flywayConfig, String flywayEnvironment) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer("flag", flags));
        layers.add(new Layer("environment (SLUICE_*)", prefixed(environment, "SLUICE_")));
        layers.add(new Layer("environment (FLYWAY_*)", flywayEnvironment(environment)));
        Map<String, String> pgpassword = new LinkedHashMap<>();
        if (environment.get("PGPASSWORD") != null) {
            pgpassword.put("password", environment.get("PGPASSWORD"));
        }
        layers.add(new Layer("environment (PGPASSWORD)", pgpassword));

        Path sluiceFile = sluiceToml != null ? workingDirectory.resolve(sluiceToml) : workingDirectory.resolve("sluice.toml");
        ObjectNode sluice = JsonNodeFactory.instance.objectNode();
        if (sluiceToml != null || Files.isRegularFile(sluiceFile)) {
            sluice = readToml(sluiceFile);
            layers.add(new Layer(sluiceFile.getFileName().toString(), projectTable(sluice, sluiceFile)));
        }
        String environmentName = flywayEnvironment != null ? flywayEnvironment : environment.get("FLYWAY_ENVIRONMENT");
        if (flywayConfig != null) {
            Path file = workingDirectory.resolve(flywayConfig);
            layers.add(new Layer(file.getFileName().toString(), file.toString().endsWith(".toml")
                    ? flywayToml(readToml(file), file, environmentName) : flywayConf(file)));
        } else {
            Path toml = workingDirectory.resolve("flyway.toml");
            if (Files.isRegularFile(toml)) {
                layers.add(new Layer("flyway.toml", flywayToml(readToml(toml), toml, environmentName)));
            }
            Path conf = workingDirectory.resolve("flyway.conf");
            if (Files.isRegularFile(conf)) {
                layers.add(new Layer("flyway.conf", flywayConf(conf)));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (String key : KEYS) {
            for (Layer layer : layers) {
                String value = layer.values().get(key);
                if (value != null && !value.isEmpty()) {
                    values.put(key, value);
                    origins.put(key, layer.name());
                    break;
                }
            }
        }
        return new Project(values, origins, settings(sluice, sluiceFile), table(sluice, "canary"), table(sluice, "pipeline"));
    }

    /** The value of {@code key}, or null. */
    String get(String key) {
        return values.get(key);
    }

    /** Where {@code key}'s value came from ({@code flag}, {@code environment (FLYWAY_*)}, {@code flyway.conf}...). */
    String origin(String key) {
        return origins.get(key);
    }

    /** {@code sluice.*} configuration properties from sluice.toml's tables. */
    Map<String, String> settings() {
        return settings;
    }

    /** sluice.toml's {@code [canary]} table: canary-check's defaults ({@code stage}, {@code probes}, ...). */
    ObjectNode canary() {
        return canary;
    }

    /** sluice.toml's {@code [pipeline]} table ({@code auto-approve-up-to}, {@code wait-scale}, ...). */
    ObjectNode pipeline() {
        return pipeline;
    }

    private record Layer(String name, Map<String, String> values) {
    }

    private static Map<String, String> prefixed(Map<String, String> environment, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = environment.get(prefix + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static Map<String, String> flywayEnvironment(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "url", environment.get("FLYWAY_URL"));
        put(values, "user", environment.get("FLYWAY_USER"));
        put(values, "password", environment.get("FLYWAY_PASSWORD"));
        put(values, "migrations", location(environment.get("FLYWAY_LOCATIONS"), "FLYWAY_LOCATIONS"));
        put(values, "schema", first(environment.get("FLYWAY_SCHEMAS")));
        return values;
    }

    /** flyway.conf: Java properties, {@code flyway.url=...}. */
    private static Map<String, String> flywayConf(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new Refused("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith("flyway.")) {
                throw new Refused(file.getFileName() + ": '" + name + "' is no Flyway setting (they start with flyway.)");
            }
            settings.put(name.substring("flyway.".length()), properties.getProperty(name).trim());
        }
        return flyway(settings, file.getFileName().toString());
    }

    /**
     * flyway.toml as Flyway 10 writes it: {@code [environments.<name>]} with {@code url}, {@code user}, {@code password},
     * {@code schemas}; {@code [flyway]} with {@code environment}, {@code locations}, {@code defaultSchema}.
     */
    private static Map<String, String> flywayToml(ObjectNode toml, Path file, String environmentName) {
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode flyway = toml.path("flyway");
        String name = environmentName != null ? environmentName : flyway.path("environment").asText("default");
        JsonNode environments = toml.path("environments");
        if (environments.isObject() && environments.size() > 0 && !environments.has(name)) {
            throw new Refused(file.getFileName() + " has no [environments." + name + "] (it has " + String.join(", ",
                    iterable(environments.fieldNames())) + "); name one with --environment or FLYWAY_ENVIRONMENT");
        }
        for (JsonNode table : List.of(flyway, environments.path(name))) {
            Iterator<Map.Entry<String, JsonNode>> fields = table.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isObject()) {
                    if (field.getKey().equals("placeholders")) {
                        throw placeholders(file.getFileName().toString());
                    }
                    continue;
                }
                settings.put(field.getKey(), value.isArray() ? String.join(",", values(value)) : value.asText());
            }
        }
        for (Iterator<String> keys = toml.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals("flyway") && !key.equals("environments")) {
                throw new Refused(file.getFileName() + ": [" + key + "] is no table Flyway reads (flyway, environments)");
            }
        }
        return flyway(settings, file.getFileName().toString());
    }

    /** Flyway's settings, by their Flyway names, as Sluice's keys; those Sluice cannot honour refused by name. */
    private static Map<String, String> flyway(Map<String, String> settings, String file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey();
            if (name.startsWith("placeholders.")) {
                throw placeholders(file);
            }
            if (!FLYWAY_READ.contains(name) && !FLYWAY_IGNORED.contains(name)) {
                throw new Refused(file + ": flyway." + name + " is a Flyway setting Sluice does not honour; remove it, or run"
                        + " that project with Flyway itself");
            }
            if (FLYWAY_IGNORED.contains(name) && name.equals("placeholderReplacement") && !setting.getValue().equals("false")) {
                throw placeholders(file);
            }
        }
        String table = settings.get("table");
        if (table != null && !table.equals("flyway_schema_history")) {
            throw new Refused(file + ": flyway.table=" + table + ": Sluice keeps Flyway's history in flyway_schema_history, so it"
                    + " would not see this history");
        }
        put(values, "url", settings.get("url"));
        put(values, "user", settings.get("user"));
        put(values, "password", settings.get("password"));
        put(values, "migrations", location(settings.get("locations"), "flyway.locations"));
        String schema = settings.get("defaultSchema") != null ? settings.get("defaultSchema") : first(settings.get("schemas"));
        put(values, "schema", schema);
        return values;
    }

    private static Refused placeholders(String file) {
        return new Refused(file + ": Flyway placeholders are not replaced by Sluice (scripts run as written, so the SQL the"
                + " review saw is the SQL that runs); write the values into the scripts");
    }

    /** One location of Flyway's comma-separated list; Sluice reads one folder. */
    private static String location(String locations, String name) {
        if (locations == null || locations.isBlank()) {
            return null;
        }
        String[] parts = locations.split(",");
        if (parts.length > 1) {
            throw new Refused(name + " names " + parts.length + " locations (" + locations.trim() + "); Sluice reads one folder:"
                    + " move the scripts into one, or name it with --migrations");
        }
        String location = parts[0].trim();
        return location.startsWith("filesystem:") || location.startsWith("classpath:") || location.startsWith("s3:")
                ? location : "classpath:" + location;
    }

    private static String first(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        return list.split(",")[0].trim();
    }

    private static void put(Map<String, String> values, String key, String value) {
        if (value != null && !value.isBlank()) {
            values.put(key, value);
        }
    }

    private static ObjectNode readToml(Path file) {
        try {
            JsonNode node = TOML.readTree(file.toFile());
            return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        } catch (IOException e) {
            throw new Refused("cannot read " + file + ": " + io.sluice.error.Echo.line(String.valueOf(e.getMessage())));
        }
    }

    private static Map<String, String> projectTable(ObjectNode sluice, Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode project = sluice.path("project");
        for (Iterator<Map.Entry<String, JsonNode>> fields = project.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KEYS.contains(field.getKey()) || !field.getValue().isValueNode()) {
                throw new Refused(file.getFileName() + ": [project] " + field.getKey() + " is not one of " + String.join(", ", KEYS));
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }

    /** Every table but the command tables, flattened to {@code sluice.<table>.<key>} properties. */
    private static Map<String, String> settings(ObjectNode sluice, Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = sluice.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (COMMAND_TABLES.contains(field.getKey())) {
                continue;
            }
            if (!field.getValue().isObject()) {
                throw new Refused(file.getFileName() + ": '" + field.getKey() + "' must be a table ([" + field.getKey() + "]); Sluice's"
                        + " settings are sluice.<table>.<key>");
            }
            flatten("sluice." + field.getKey(), field.getValue(), settings);
        }
        return settings;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> settings) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> flatten(prefix + "." + field.getKey(), field.getValue(), settings));
        } else if (node.isArray()) {
            settings.put(prefix, String.join(",", values(node)));
        } else {
            settings.put(prefix, node.asText());
        }
    }

    private static ObjectNode table(ObjectNode sluice, String name) {
        JsonNode table = sluice.path(name);
        return table instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
