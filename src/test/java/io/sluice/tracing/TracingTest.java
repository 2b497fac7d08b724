package io.sluice.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.sluice.error.MigrationFailed;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrateFunction;
import io.sluice.function.RollbackFunction;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Traces of real invocations: the handlers with a boundary that traces, on a real PostgreSQL. One span per invocation
 * (named after the function, carrying the deployment id and the outcome), one child per script applied or undone; and
 * the OTLP exporter delivering them to an HTTP endpoint before the invocation returns.
 */
class TracingTest {

    private static FunctionBoundary boundary(Tracing tracing) {
        return new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE), io.sluice.function.DatabaseSecrets.NONE,
                io.sluice.function.MigrationBundles.NONE, io.sluice.function.Notifications.NONE, io.sluice.function.FullReports.NONE,
                io.sluice.function.DatabaseTargets.LOCAL, tracing);
    }

    private static void invoke(RequestStreamHandler handler, String event) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    private static ScriptFolder release(Path dir) {
        return new ScriptFolder(dir.resolve("migrations"))
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);\n")
                .with("U1__customers.sql", "DROP TABLE customers;\n")
                .with("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n")
                .with("U2__orders.sql", "DROP TABLE orders;\n");
    }

    @Test
    void migrateAndRollback_aSpanPerInvocation_aChildPerScript_allCarryingTheDeployment(@TempDir Path dir) throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        FunctionBoundary boundary = boundary(Tracing.exportingTo(spans, "sluice-test"));
        TestDatabase db = PostgresServer.get().newDatabase();
        String location = release(dir).source().toString();

        invoke(new MigrateFunction(Sluice.migrate(), boundary), "{\"deploymentId\": \"release-5\", \"database\": " + db.targetJson()
                + ", \"migrations\": \"" + location + "\"}");
        invoke(new RollbackFunction(Sluice.rollback(), boundary), "{\"deploymentId\": \"release-5\", \"database\": " + db.targetJson()
                + ", \"migrations\": \"" + location + "\", \"targetVersion\": \"1\", \"reason\": \"canary failed\"}");

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName, span -> span.getAttributes().get(Tracing.DEPLOYMENT_ID), SpanData::getStatus)
                .containsExactly(
                        tuple("migrate V1__customers.sql", "release-5", io.opentelemetry.sdk.trace.data.StatusData.unset()),
                        tuple("migrate V2__orders.sql", "release-5", io.opentelemetry.sdk.trace.data.StatusData.unset()),
                        tuple("migrate", "release-5", io.opentelemetry.sdk.trace.data.StatusData.ok()),
                        tuple("undo U2__orders.sql", "release-5", io.opentelemetry.sdk.trace.data.StatusData.unset()),
                        tuple("rollback", "release-5", io.opentelemetry.sdk.trace.data.StatusData.ok()));
        SpanData migrate = finished.get(2);
        assertThat(migrate.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(migrate.getAttributes().get(Tracing.FUNCTION)).isEqualTo("migrate");
        assertThat(migrate.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                .isEqualTo("sluice-test");
        assertThat(finished.subList(0, 2)).allSatisfy(script -> {
            assertThat(script.getParentSpanId()).isEqualTo(migrate.getSpanId());
            assertThat(script.getTraceId()).isEqualTo(migrate.getTraceId());
        });
        assertThat(finished.get(0).getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("sluice.version"))).isEqualTo("1");
        assertThat(finished.get(3).getParentSpanId()).isEqualTo(finished.get(4).getSpanId());
        assertThat(finished.get(3).getTraceId()).as("each invocation its own trace").isNotEqualTo(migrate.getTraceId());
    }

    @Test
    void aFailingScript_marksItsSpanAndTheInvocationsAsErrors(@TempDir Path dir) throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        FunctionBoundary boundary = boundary(Tracing.exportingTo(spans, "sluice-test"));
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = release(dir).with("V3__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;\n");

        assertThatThrownBy(() -> invoke(new MigrateFunction(Sluice.migrate(), boundary), "{\"deploymentId\": \"release-6\","
                + " \"database\": " + db.targetJson() + ", \"migrations\": \"" + folder.source() + "\"}"))
                .isInstanceOf(MigrationFailed.class);

        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName, span -> span.getStatus().getStatusCode())
                .containsExactly(tuple("migrate V1__customers.sql", StatusCode.UNSET), tuple("migrate V2__orders.sql", StatusCode.UNSET),
                        tuple("migrate V3__broken.sql", StatusCode.ERROR), tuple("migrate", StatusCode.ERROR));
        SpanData invocation = spans.getFinishedSpanItems().get(3);
        assertThat(invocation.getAttributes().get(Tracing.ERROR_TYPE)).isEqualTo("io.sluice.error.MigrationFailed");
        assertThat(invocation.getStatus().getDescription()).contains("V3__broken.sql");
    }

    @Test
    void otlp_deliversTheSpansOverHttpBeforeTheInvocationReturns() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Tracing tracing = Tracing.otlp("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces", "sluice",
                    Duration.ofSeconds(2));
            TestDatabase db = PostgresServer.get().newDatabase();

            invoke(new MigrateFunction(Sluice.migrate(), boundary(tracing)), "{\"deploymentId\": \"release-otlp-7\", \"database\": "
                    + db.targetJson() + "}");

            assertThat(received).as("flushed before the handler returned").hasSize(1);
            assertThat(contentTypes).containsExactly("application/x-protobuf");
            String body = new String(received.get(0), StandardCharsets.ISO_8859_1);
            assertThat(body).contains("release-otlp-7", "migrate V1__create_customers.sql", "sluice.deployment_id");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void off_recordsNothing_andScriptSpansOutsideAnInvocationAreNoOps() {
        assertThat(Tracing.OFF.enabled()).isFalse();
        try (Tracing.Invocation invocation = Tracing.OFF.begin("migrate")) {
            invocation.deployment("release-1");
            assertThat(Tracing.child("migrate V1__x.sql").getSpanContext().isValid()).isFalse();
        }
    }
}
