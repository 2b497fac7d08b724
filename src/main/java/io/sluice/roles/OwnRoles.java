package io.sluice.roles;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The roles this deployment owns on its live servers. Deployed, their passwords come from the module's secrets, the
 * same in every function environment; a local run generates them once per process and sets them on first use.
 */
public interface OwnRoles {

    /** The default name of the probe role. */
    String PROBE = "sluice_probe";
    /** The default name of the scratch role. */
    String SCRATCH = "sluice_scratch";

    /** This process's roles, for local runs and tests: generated once, the same for every command of the process. */
    OwnRoles LOCAL = generated();

    /** The read-only role probes and check-green's queries run as. */
    OwnRole probe();

    /** The scratch role, when the deployment chose that isolation ({@code sluice.scratch.isolation=role}). */
    Optional<OwnRole> scratch();

    /** Roles of this process alone: the default names, passwords generated here. */
    static OwnRoles generated() {
        OwnRole probe = new OwnRole(PROBE, password());
        OwnRole scratch = new OwnRole(SCRATCH, password());
        return new OwnRoles() {
            @Override
            public OwnRole probe() {
                return probe;
            }

            @Override
            public Optional<OwnRole> scratch() {
                return Optional.of(scratch);
            }
        };
    }

    /** A password of 32 letters and digits from a strong source. */
    static String password() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
