package io.sluice.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link RollbackFunctionTest} against the built artifact: with {@code -Dnative} (GitHub's native job), the native
 * executable answering the mock event server as it answers Lambda. Not run by the JVM build (failsafe is skipped
 * there).
 */
@QuarkusIntegrationTest
@TestProfile(HandlerProfiles.Rollback.class)
class RollbackFunctionIT extends RollbackFunctionTest {
}
