package io.sluice.config;

import java.util.List;
import java.util.Map;

import io.sluice.error.InvalidRequest;

/**
 * The deployment's lists that outgrow Lambda's 4 KB environment with a fleet: the secrets an event may name, by list
 * ({@code databaseSecrets}, {@code paritySecrets}), and the approvers ({@code principal-arn=name}). Terraform writes
 * them as one JSON object ({@code sluice.aws.lists-object}); {@link Source#NONE} where a deployment has none, and the
 * configuration's own lists alone count.
 */
public record DeploymentLists(Map<String, List<String>> secrets, List<String> approvers) {

    /** The names of the secret lists a lists object holds. */
    public static final List<String> SECRET_LISTS = List.of("databaseSecrets", "paritySecrets");

    public DeploymentLists {
        secrets = Map.copyOf(secrets);
        approvers = List.copyOf(approvers);
    }

    /** The secrets of the lists named (e.g. {@code sluice.aws.lists-secrets}), in order. */
    public List<String> secretsOf(List<String> lists) {
        return lists.stream().flatMap(list -> {
            if (!SECRET_LISTS.contains(list)) {
                throw new InvalidRequest("sluice.aws.lists-secrets names '" + list + "', not one of " + SECRET_LISTS);
            }
            return secrets.getOrDefault(list, List.of()).stream();
        }).toList();
    }

    /** Where the lists come from: read once, when first needed. */
    public interface Source {

        /** Whether this deployment keeps its lists in a lists object (then an empty list means nobody, never anybody). */
        boolean configured();

        /** The lists; a typed error (and nothing allowed) when the object cannot be read or is not the one configured. */
        DeploymentLists lists();

        /** No lists object: the configuration's lists alone. */
        Source NONE = new Source() {
            @Override
            public boolean configured() {
                return false;
            }

            @Override
            public DeploymentLists lists() {
                return new DeploymentLists(Map.of(), List.of());
            }
        };
    }
}
