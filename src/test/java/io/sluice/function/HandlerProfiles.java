package io.sluice.function;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/** One Quarkus start per handler, as Terraform deploys one function per handler. */
final class HandlerProfiles {

    private HandlerProfiles() {
    }

    public static final class Migrate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "migrate");
        }
    }

    public static final class Rollback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "rollback");
        }
    }

    public static final class CanaryCheck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "canary-check");
        }
    }

    public static final class Validate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "validate");
        }
    }

    public static final class Approve implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "approve",
                    "sluice.approval.approvers", "arn:aws:sts::123456789012:assumed-role/Approvers/alice=alice");
        }
    }

    public static final class Health implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "health");
        }
    }

    public static final class Start implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "start");
        }
    }
}
