package io.sluice.upgrade;

/**
 * The Blue/Green deployment calls the upgrade workflow makes: create, describe, switch over, delete. RDS answers them
 * deployed ({@code aws/RdsBlueGreen}); a pair of local servers filled by logical replication answers them in tests and
 * in a local run.
 */
public interface BlueGreenDeployments {

    /**
     * Creates a Blue/Green deployment of {@code instance} whose green runs {@code targetEngineVersion}, with
     * {@code targetParameterGroup} (null: RDS's default for the version), tagged with the release.
     */
    BlueGreen create(String instance, String name, String targetEngineVersion, String targetParameterGroup, String deploymentId);

    /** Where the deployment stands, with green's endpoint once it has one. */
    BlueGreen describe(String id);

    /** Starts the switchover; RDS gives up and stays on blue after {@code timeoutSeconds}. */
    BlueGreen switchover(String id, int timeoutSeconds);

    /**
     * Deletes the deployment; with {@code deleteGreen} (only before a switchover) its green instance too. After a
     * switchover both instances are kept: the old one is the team's to delete.
     */
    BlueGreen delete(String id, boolean deleteGreen);

    /** Where no Blue/Green deployment can be made: every call is refused, saying why. */
    BlueGreenDeployments NONE = new BlueGreenDeployments() {
        @Override
        public BlueGreen create(String instance, String name, String targetEngineVersion, String targetParameterGroup, String deploymentId) {
            throw refused();
        }

        @Override
        public BlueGreen describe(String id) {
            throw refused();
        }

        @Override
        public BlueGreen switchover(String id, int timeoutSeconds) {
            throw refused();
        }

        @Override
        public BlueGreen delete(String id, boolean deleteGreen) {
            throw refused();
        }

        private io.sluice.error.InvalidRequest refused() {
            return new io.sluice.error.InvalidRequest("this function makes no Blue/Green deployments: AWS is off"
                    + " (sluice.aws.enabled=false); nothing was changed");
        }
    };
}
