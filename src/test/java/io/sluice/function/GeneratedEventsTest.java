package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.SluiceException;
import io.sluice.error.UnexpectedError;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.event.HealthRequest;
import io.sluice.event.ConfigCheckRequest;
import io.sluice.event.DriftRequest;
import io.sluice.event.MigrateRequest;
import io.sluice.event.PostMigrateRequest;
import io.sluice.event.PreflightRequest;
import io.sluice.event.Request;
import io.sluice.event.RollbackRequest;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Every sample event, with every field of its request record (and of {@code database}) replaced in turn by a value
 * an attacker or a broken pipeline might send. No event may produce an untyped error: each either runs, against a
 * real database, or fails with a typed error whose message names the field, is bounded and has no control
 * characters.
 */
class GeneratedEventsTest {

    private static final String HUGE = "x".repeat(100_000);

    private static final List<String> HOSTILE_VALUES = List.of(
            "null", "{}", "[]", "[null]", "{\"a\": {}}", "0", "-1", "1.5", "1e400", "true", "\"\"", "\" \"",
            "\"\\u0000\"", "\"a\\nb\\u001b[31m\"", "\"" + HUGE + "\"", "\"../../../etc/passwd\"",
            "\"filesystem:/proc/self/environ\"", "\"classpath:\"", "\"filesystem:\"");

    static Stream<Path> sampleEvents() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void everyFieldReplacedByHostileValues_givesATypedBoundedError_orRuns(Path file) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ObjectNode sample = (ObjectNode) LambdaInvoker.JSON.readTree(SampleEvents.against(file, db));
        Class<? extends Request> type = requestType(file, sample);
        List<String> problems = new ArrayList<>();
        int ran = 0;
        for (String field : fields(type)) {
            for (String value : HOSTILE_VALUES) {
                ObjectNode event = sample.deepCopy();
                set(event, field, LambdaInvoker.JSON.readTree(value));
                SluiceException error = invoke(type, LambdaInvoker.JSON.writeValueAsBytes(event));
                String label = field + " = " + Echo.value(value);
                if (error == null) {
                    ran++;
                } else if (error instanceof UnexpectedError) {
                    problems.add(label + ": untyped failure " + error.getMessage());
                } else if (error.getMessage().length() > Echo.MAX_MESSAGE + 40 || error.getMessage().chars().anyMatch(c -> c < 0x20)) {
                    problems.add(label + ": unbounded or raw message (" + error.getMessage().length() + " characters)");
                } else if (error instanceof InvalidRequest && !namesAField(error.getMessage())) {
                    problems.add(label + ": the message does not name the field: " + error.getMessage());
                }
            }
        }
        assertThat(problems).as("%s", file).isEmpty();
        assertThat(ran).as("some mutations are valid events and ran against the database").isPositive();
    }

    private static SluiceException invoke(Class<? extends Request> type, byte[] event) {
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec());
        // Validate events are read as ValidateRequest, as the handler reads them: the mode picks the record.
        try {
            if (type == MigrateRequest.class) {
                boundary.handle("migrate", new ByteArrayInputStream(event), new ByteArrayOutputStream(), MigrateRequest.class,
                        request -> Sluice.migrate().run(request, Invocations.NO_DEADLINE));
            } else if (type == CanaryCheckRequest.class) {
                boundary.handle("canary-check", new ByteArrayInputStream(event), new ByteArrayOutputStream(), CanaryCheckRequest.class,
                        request -> Sluice.canary().run(request));
            } else if (type == HealthRequest.class) {
                boundary.handle("health", new ByteArrayInputStream(event), new ByteArrayOutputStream(), HealthRequest.class,
                        request -> Sluice.health().run(request));
            } else if (type == RollbackRequest.class) {
                boundary.handle("rollback", new ByteArrayInputStream(event), new ByteArrayOutputStream(), RollbackRequest.class,
                        request -> Sluice.rollback().run(request, Invocations.NO_DEADLINE));
            } else {
                boundary.handle("validate", new ByteArrayInputStream(event), new ByteArrayOutputStream(), ValidateRequest.class,
                        request -> Sluice.validate().run(request));
            }
            return null;
        } catch (SluiceException e) {
            assertThat(e.getCause()).isNull();
            assertThat(e.getStackTrace()).isEmpty();
            return e;
        } catch (Exception e) {
            return fail("not a typed error: " + e);
        }
    }

    /** An event error says which field is wrong (the mutated one, or another the mutation made inconsistent). */
    private static boolean namesAField(String message) {
        return message.contains("field '") || message.startsWith("event ");
    }

    private static Class<? extends Request> requestType(Path file, JsonNode event) {
        String name = file.getFileName().toString();
        if (name.startsWith("migrate")) {
            return MigrateRequest.class;
        }
        if (name.startsWith("rollback")) {
            return RollbackRequest.class;
        }
        if (name.startsWith("canary-check")) {
            return CanaryCheckRequest.class;
        }
        if (name.startsWith("health")) {
            return HealthRequest.class;
        }
        return switch (event.path("mode").asText()) {
            case "preflight" -> PreflightRequest.class;
            case "post-migrate" -> PostMigrateRequest.class;
            case "drift" -> DriftRequest.class;
            case "upgrade-readiness" -> io.sluice.event.UpgradeReadinessRequest.class;
            case "export" -> io.sluice.event.ExportRequest.class;
            default -> ConfigCheckRequest.class;
        };
    }

    /** Every component of the request record, and each field of the database object. */
    private static Set<String> fields(Class<? extends Request> type) {
        Set<String> fields = new LinkedHashSet<>();
        for (var component : type.getRecordComponents()) {
            fields.add(component.getName());
        }
        if (ValidateRequest.class.isAssignableFrom(type)) {
            fields.add("mode");
        }
        fields.addAll(List.of("database.jdbcUrl", "database.username", "database.password"));
        return fields;
    }

    private static void set(ObjectNode event, String field, JsonNode value) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            event.set(field, value);
        } else {
            ((ObjectNode) event.get(field.substring(0, dot))).set(field.substring(dot + 1), value);
        }
    }
}
