package io.sluice.function;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.config.DeploymentLists;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.WithScratch;
import io.sluice.files.FileRoots;

/**
 * Which databases an event may name. Deployed, only a Secrets Manager secret this deployment allows
 * ({@code sluice.database.allowed-secrets}, which Terraform sets to its database's secrets): an event carrying a URL,
 * user and password is refused ({@code sluice.database.event-credentials} is false), so whoever may invoke a function
 * cannot point it at another host, and no password passes through an event, an execution's history or a log. A local
 * run, whose caller holds the credentials anyway, allows them; the {@code sslrootcert} such a URL names must then lie
 * under the file roots. The URL's shape and parameters are {@link io.sluice.event.JdbcUrl}'s to check.
 */
@ApplicationScoped
public class DatabaseTargets {

    private final boolean eventCredentials;
    private final List<String> configuredSecrets;
    private final List<String> roots;

    private final Optional<String> scratchSecret;
    /** The deployment's lists object, and which of its secret lists an event may name ({@code sluice.aws.lists-secrets}). */
    private final DeploymentLists.Source lists;
    private final List<String> listedSecrets;

    public DatabaseTargets(SluiceConfig config) {
        this(config, DeploymentLists.Source.NONE);
    }

    @Inject
    public DatabaseTargets(SluiceConfig config, DeploymentLists.Source lists) {
        this(config.database().eventCredentials(), config.database().allowedSecrets().orElse(List.of()), config.files().roots(),
                config.database().scratchSecretArn(), lists, config.aws().listsSecrets());
    }

    /**
     * @param eventCredentials whether an event may give a URL, user and password itself
     * @param allowedSecrets   the secrets (ARNs or names) an event may name; empty: any the function's role may read
     * @param roots            the folders files may be read from ({@code sluice.files.roots})
     */
    public DatabaseTargets(boolean eventCredentials, List<String> allowedSecrets, List<String> roots) {
        this(eventCredentials, allowedSecrets, roots, Optional.empty());
    }

    /**
     * @param scratchSecret the secret of the server scratch databases are built on by default
     *                      ({@code sluice.database.scratch-secret-arn}); empty: the live database's server
     */
    public DatabaseTargets(boolean eventCredentials, List<String> allowedSecrets, List<String> roots, Optional<String> scratchSecret) {
        this(eventCredentials, allowedSecrets, roots, scratchSecret, DeploymentLists.Source.NONE, List.of());
    }

    /**
     * @param lists         the deployment's lists object: when it is configured, the secrets an event may name are its
     *                      {@code listedSecrets} lists and {@code allowedSecrets}, and an empty result allows none
     * @param listedSecrets which of its secret lists count ({@code databaseSecrets}; validate: {@code paritySecrets} too)
     */
    public DatabaseTargets(boolean eventCredentials, List<String> allowedSecrets, List<String> roots, Optional<String> scratchSecret,
            DeploymentLists.Source lists, List<String> listedSecrets) {
        this.eventCredentials = eventCredentials;
        this.configuredSecrets = List.copyOf(allowedSecrets);
        this.roots = List.copyOf(roots);
        this.scratchSecret = scratchSecret;
        this.lists = lists;
        this.listedSecrets = List.copyOf(listedSecrets);
    }

    /** The secrets an event may name; empty without a lists object: any the function's role may read. */
    private List<String> allowedSecrets() {
        if (!lists.configured()) {
            return configuredSecrets;
        }
        List<String> allowed = new java.util.ArrayList<>(configuredSecrets);
        allowed.addAll(lists.lists().secretsOf(listedSecrets));
        return allowed;
    }

    /**
     * The scratch server {@code request} uses, checked as a database is: the event's {@code scratch}, else the
     * configured one; null when neither names one (the live database's server then).
     */
    public DatabaseTarget scratch(WithScratch request) {
        DatabaseTarget scratch = request.scratch() != null ? request.scratch()
                : scratchSecret.map(secret -> new DatabaseTarget(null, null, null, secret)).orElse(null);
        if (scratch != null && request.scratch() != null) {
            check(scratch, "scratch");
        }
        return scratch;
    }

    /** A local run's: an event may give its credentials, and name any secret; files under the working directory. */
    public static final DatabaseTargets LOCAL = new DatabaseTargets(true, List.of(), List.of("."));

    /** Refuses {@code target} unless this deployment lets an event name it. */
    public void check(DatabaseTarget target) {
        check(target, "database");
    }

    /** Refuses {@code target}, named by event field {@code field}, unless this deployment lets an event name it. */
    public void check(DatabaseTarget target, String field) {
        if (target == null) {
            return;
        }
        if (target.isSecret()) {
            List<String> allowedSecrets = allowedSecrets();
            boolean anyReadable = allowedSecrets.isEmpty() && !lists.configured();
            if (!anyReadable && allowedSecrets.stream().noneMatch(allowed -> names(allowed, target.secretArn()))) {
                throw new InvalidRequest("field '" + field + ".secretArn': " + Echo.value(target.secretArn()) + " is not a secret this"
                        + " deployment may use (" + allowedText(allowedSecrets) + ")");
            }
            return;
        }
        if (!eventCredentials) {
            throw new InvalidRequest("field '" + field + "': this deployment takes its database from Secrets Manager only; give"
                    + " {\"secretArn\": ...}. An event's jdbcUrl, username and password are refused (sluice.database.event-credentials"
                    + " is false), so that no password passes through an execution's history or a log");
        }
        target.url().sslRootCert().ifPresent(path -> FileRoots.of(roots).file(path, field + ".jdbcUrl sslrootcert"));
    }

    /** The allowed secrets for a message: each of a few, the first three and a count of a fleet's. */
    private String allowedText(List<String> allowed) {
        String where = lists.configured() ? "the lists object's " + String.join(" and ", listedSecrets) : "sluice.database.allowed-secrets";
        if (allowed.isEmpty()) {
            return where + ": none";
        }
        return where + ": " + (allowed.size() <= 5 ? String.join(", ", allowed)
                : String.join(", ", allowed.subList(0, 3)) + " and " + (allowed.size() - 3) + " more");
    }

    /**
     * Whether {@code given} is the secret {@code allowed}: the same text, exactly. A secret's name is never taken for an
     * allowed ARN: Secrets Manager resolves a name in the function's own account and region, which need not be the
     * listed ARN's, and a name outlives its secret (deleted, then made again with another ARN and another database).
     */
    static boolean names(String allowed, String given) {
        return allowed.equals(given);
    }
}
