package io.sluice.aws;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import io.sluice.config.SluiceConfig;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.function.DatabaseSecrets;

/**
 * Databases from Secrets Manager, in the formats RDS writes: the master secret RDS manages holds only {@code username}
 * and {@code password}, so the host, port and database come from the function's configuration
 * ({@code sluice.aws.database-host}, {@code -port}, {@code -name}: Terraform sets them to the instance's); a secret
 * written for a rotation schedule also has {@code host}, {@code port}, {@code dbname} and {@code engine} (postgres or
 * aurora-postgresql), and its own values win. Reads are cached per warm container for
 * {@code sluice.aws.secret-cache-ttl}; the boundary asks for a fresh read when the database rejects the cached
 * credentials (a rotation since). The URL carries {@code sslmode} (verify-full unless configured) and the CA bundle
 * when one is configured.
 */
public class AwsDatabaseSecrets implements DatabaseSecrets {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A DNS name (labels of letters, digits and inner hyphens) or an IPv4 address, or an IPv6 address in brackets. */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?|\\[[0-9A-Fa-f:.]{2,45}]");

    private record Cached(DatabaseTarget target, Instant readAt) {
    }

    private final SluiceConfig.Aws config;
    private final Supplier<SecretsManagerClient> client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** The scratch server's secret and the host its secret lacks (an RDS-managed master secret): see {@link #target}. */
    private final Optional<String> scratchSecretArn;
    private final Optional<String> scratchHost;

    /**
     * The secrets of this deployment's own instance, which alone may lack a {@code host} and take the configured one:
     * the database's ({@code sluice.aws.database-secret-arn}) and those of the roles Sluice keeps on it (the probe
     * role's, the scratch role's: username and password only).
     */
    private final Set<String> ownSecrets;

    public AwsDatabaseSecrets(SluiceConfig config) {
        this(config.aws(), () -> AwsClients.secretsManager(config.aws()), config.database().scratchSecretArn(),
                config.database().scratchHost(), Stream.of(config.probe().secretArn(), config.scratch().roleSecretArn())
                        .flatMap(Optional::stream).toList());
    }

    public AwsDatabaseSecrets(SluiceConfig.Aws config, Supplier<SecretsManagerClient> clients) {
        this(config, clients, Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * @param scratchSecretArn the scratch server's secret ({@code sluice.database.scratch-secret-arn})
     * @param scratchHost      its host when the secret has none ({@code sluice.database.scratch-host})
     * @param roleSecrets      the secrets of the roles Sluice keeps on the instance, which take its host too
     */
    public AwsDatabaseSecrets(SluiceConfig.Aws config, Supplier<SecretsManagerClient> clients, Optional<String> scratchSecretArn,
            Optional<String> scratchHost, List<String> roleSecrets) {
        this.config = config;
        this.client = new Lazy<>(clients);
        this.scratchSecretArn = scratchSecretArn;
        this.scratchHost = scratchHost;
        Set<String> own = new HashSet<>(roleSecrets);
        config.databaseSecretArn().ifPresent(own::add);
        this.ownSecrets = Set.copyOf(own);
    }

    @Override
    public DatabaseTarget resolve(String secretArn, boolean fresh) {
        Cached cached = cache.get(secretArn);
        if (!fresh && cached != null && cached.readAt().plus(config.secretCacheTtl()).isAfter(Instant.now())) {
            return cached.target();
        }
        DatabaseTarget target = read(secretArn);
        cache.put(secretArn, new Cached(target, Instant.now()));
        return target;
    }

    /** How many times a secret was read from Secrets Manager (cache misses and fresh reads). */
    public int reads() {
        return reads.get();
    }

    private DatabaseTarget read(String secretArn) {
        GetSecretValueResponse response;
        try {
            reads.incrementAndGet();
            response = client.get().getSecretValue(request -> request.secretId(secretArn));
        } catch (ResourceNotFoundException e) {
            throw new InvalidRequest("field 'database.secretArn': Secrets Manager has no secret " + Echo.value(secretArn));
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() >= 500 || "ThrottlingException".equals(code)) {
                throw new DatabaseUnavailable("Secrets Manager could not give secret " + Echo.value(secretArn) + " now (" + code
                        + "); try again", e);
            }
            throw new InvalidRequest("field 'database.secretArn': Secrets Manager refused secret " + Echo.value(secretArn) + " ("
                    + code + "): the function's role needs secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach Secrets Manager for secret " + Echo.value(secretArn) + ": "
                    + Echo.value(e.getMessage()), e);
        }
        return target(secretArn, response.secretString());
    }

    private DatabaseTarget target(String secretArn, String secret) {
        String where = "secret " + Echo.value(secretArn);
        JsonNode fields;
        try {
            fields = secret == null ? null : JSON.readTree(secret);
        } catch (IOException e) {
            fields = null;
        }
        if (fields == null || !fields.isObject()) {
            throw new InvalidRequest(where + " is not a JSON object in the format RDS writes (username, password; host, port, dbname)");
        }
        String engine = fields.path("engine").asText("postgres");
        if (!engine.equals("postgres") && !engine.equals("aurora-postgresql")) {
            throw new InvalidRequest(where + " is for engine '" + Echo.value(engine) + "'; Sluice migrates PostgreSQL");
        }
        // The scratch instance's managed secret lacks the host too; the live instance's host, port and database are not its.
        // Only the deployment's own secrets take the instance's: a fleet target's or the parity database's secret without
        // a host would otherwise connect to this deployment's database as if it were that one.
        boolean scratch = scratchSecretArn.filter(secretArn::equals).isPresent();
        boolean own = ownSecrets.contains(secretArn);
        if (!scratch && !own && present(fields, "host").isEmpty()) {
            throw new InvalidRequest(where + " has no 'host': only this deployment's own database secret (sluice.aws.database-secret-arn,"
                    + " which Terraform sets to the master secret) takes the instance's host from the configuration; any other secret"
                    + " (a fleet target's, the parity database's) must name its host, port and dbname, as a secret written for a"
                    + " rotation schedule does; nothing was connected to");
        }
        Optional<String> configuredHost = scratch ? scratchHost : config.databaseHost();
        String host = present(fields, "host").or(() -> configuredHost).orElseThrow(() -> new InvalidRequest(where + " has no 'host',"
                + " and " + (scratch ? "sluice.database.scratch-host (SLUICE_DATABASE_SCRATCH_HOST)" : "sluice.aws.database-host"
                + " (SLUICE_AWS_DATABASE_HOST)") + " is not set: the secret RDS manages for the master user holds"
                + " only username and password, so the function's configuration must name the instance (Terraform sets it)"));
        // A host is a name or an address, nothing more: text after it would become the URL's own parameters (a
        // "host" of "db?sslmode=require&" turned verify-full off).
        if (!HOST.matcher(host).matches()) {
            throw new InvalidRequest(where + " has host '" + Echo.value(host) + "', which is not a host name or an IP address (letters,"
                    + " digits, '.' and '-'; an IPv6 address in brackets); nothing was connected to");
        }
        String port = present(fields, "port").or(() -> scratch || !own ? Optional.empty() : config.databasePort().map(String::valueOf))
                .orElse("5432");
        if (!port.matches("\\d{1,5}")) {
            throw new InvalidRequest(where + " has port '" + Echo.value(port) + "', not a port number");
        }
        String database = present(fields, "dbname").or(() -> scratch || !own ? Optional.empty() : config.databaseName())
                .orElse("postgres");
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
                .append(URLEncoder.encode(database, StandardCharsets.UTF_8)).append("?sslmode=").append(config.databaseSslMode());
        Optional<String> rootCert = config.databaseSslRootCert();
        rootCert.ifPresent(path -> url.append("&sslrootcert=").append(URLEncoder.encode(path, StandardCharsets.UTF_8)));
        try {
            return new DatabaseTarget(url.toString(), text(fields, "username", where), text(fields, "password", where));
        } catch (InvalidRequest e) {
            throw new InvalidRequest(where + " does not make a usable database target: " + e.getMessage());
        }
    }

    private static String text(JsonNode fields, String name, String where) {
        JsonNode value = fields.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidRequest(where + " has no '" + name + "'; RDS's format has username and password (and host, port, dbname)");
        }
        return value.asText();
    }

    /** A field the secret may leave out (null and blank count as absent); a number, as RDS writes the port, as its text. */
    private static Optional<String> present(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        if (value == null || !(value.isTextual() || value.isIntegralNumber()) || value.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
