package io.sluice.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link StartFunctionTest} against the built artifact (the native executable in GitHub's native job). */
@QuarkusIntegrationTest
@TestProfile(HandlerProfiles.Start.class)
class StartFunctionIT extends StartFunctionTest {
}
