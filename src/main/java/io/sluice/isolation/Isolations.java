package io.sluice.isolation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.roles.OwnRoles;
import io.sluice.roles.RoleProvisioner;

/**
 * The isolation a deployment chose, by name ({@code sluice.scratch.isolation}): {@code embedded} (the default),
 * {@code server}, {@code role}, or {@code none}, which refuses scratch work saying how to choose one. A request that
 * names its own scratch server (an event's {@code scratch}, or the deployment's scratch secret) is given that server
 * whatever the choice: a server of its own is isolation enough.
 */
public final class Isolations implements Isolation {

    /** The isolations there are, in the order the README gives them. */
    public static final List<String> NAMES = List.of("embedded", "server", "role", "none");

    private final String chosen;
    private final Isolation isolation;
    private final Isolation server;

    private Isolations(String chosen, Isolation isolation, Isolation server) {
        this.chosen = chosen;
        this.isolation = isolation;
        this.server = server;
    }

    /**
     * @param chosen      the deployment's choice
     * @param limits      the scratch bounds, as the scratch role is to carry them
     * @param directory   where the embedded server lives
     * @param extensions  what the embedded server's template holds
     * @param template    the template of scratch databases on a scratch server or the live one
     * @param opener      how sessions are opened (TLS, timeouts: the connector's)
     */
    public static Isolations of(String chosen, OwnRoles roles, String maxSize, Duration maxDuration, Path directory, List<String> extensions,
            String template, Isolation.Opener opener) {
        Isolation server = new ServerIsolation(opener, template);
        Isolation isolation = switch (chosen) {
            case "embedded" -> new EmbeddedIsolation(new EmbeddedServer.Settings(directory, extensions, maxSize), opener);
            case "server" -> server;
            case "role" -> new RoleIsolation(roles.scratch().orElseThrow(() -> new NotIsolated("the scratch role isolation needs the"
                    + " scratch role's secret (sluice.scratch.role-secret-arn)")), new RoleProvisioner.Limits(maxDuration.toSeconds() + "s",
                            maxSize, 10), opener, template);
            case "none" -> (live, scratch) -> {
                throw new NotIsolated("scratch work needs an isolation and this deployment has none (sluice.scratch.isolation=none):"
                        + " choose embedded (a PostgreSQL the function starts; the default), server (a scratch server: the module's"
                        + " scratch_instance or scratch_secret_arn) or role (a least-privilege scratch role on the live server:"
                        + " scratch_role)");
            };
            default -> throw new IllegalArgumentException("sluice.scratch.isolation must be one of " + NAMES + ", not " + chosen);
        };
        return new Isolations(chosen, isolation, server);
    }

    /** The default: the embedded server, in the temporary folder. */
    public static Isolations embedded(Isolation.Opener opener) {
        return of("embedded", OwnRoles.LOCAL, "256MB", Duration.ofMinutes(5), Path.of(System.getProperty("java.io.tmpdir"),
                "sluice-postgres"), List.of(), null, opener);
    }

    @Override
    public ScratchServer server(DatabaseTarget live, DatabaseTarget scratch) {
        return scratch != null ? server.server(live, scratch) : isolation.server(live, null);
    }

    public String chosen() {
        return chosen;
    }
}
