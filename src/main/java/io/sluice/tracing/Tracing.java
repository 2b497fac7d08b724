package io.sluice.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * OpenTelemetry traces: a span per invocation, named after the function, and a child span per script it runs, each
 * carrying the deployment id. Off unless an OTLP endpoint is configured ({@code sluice.tracing.otlp-endpoint}, e.g. the
 * ADOT collector layer's {@code http://localhost:4318/v1/traces}); then spans are sent over OTLP/HTTP and flushed before
 * the invocation returns, since Lambda freezes the process after that. Code below the boundary starts script spans
 * with {@link #child}, which finds the invocation through the OpenTelemetry context (nothing global).
 */
public final class Tracing {

    /** No spans, no exporter, no threads. */
    public static final Tracing OFF = new Tracing(null, null);

    public static final AttributeKey<String> DEPLOYMENT_ID = AttributeKey.stringKey("sluice.deployment_id");
    public static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("faas.name");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final ContextKey<Invocation> INVOCATION = ContextKey.named("sluice-invocation");
    private static final long FLUSH_SECONDS = 2;

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** Spans sent to an OTLP/HTTP endpoint, in batches flushed at the end of every invocation. */
    public static Tracing otlp(String endpoint, String serviceName, Duration timeout) {
        SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setTimeout(timeout).build();
        return with(BatchSpanProcessor.builder(exporter).build(), serviceName);
    }

    /** Spans handed to {@code exporter} as each ends (tests, and a local run that prints them). */
    public static Tracing exportingTo(SpanExporter exporter, String serviceName) {
        return with(SimpleSpanProcessor.create(exporter), serviceName);
    }

    private static Tracing with(SpanProcessor processor, String serviceName) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(processor).build();
        return new Tracing(provider, provider.get("io.sluice"));
    }

    public boolean enabled() {
        return provider != null;
    }

    /** Starts the span of one invocation and makes it current on this thread until {@link Invocation#close()}. */
    public Invocation begin(String function) {
        if (provider == null) {
            return Invocation.NONE;
        }
        Span span = tracer.spanBuilder(function).setSpanKind(SpanKind.SERVER).setAttribute(FUNCTION, function).startSpan();
        Invocation invocation = new Invocation(this, span);
        invocation.scope = Context.current().with(span).with(INVOCATION, invocation).makeCurrent();
        return invocation;
    }

    /**
     * A child of the current invocation's span, carrying its deployment id; a span that records nothing when no
     * invocation is being traced on this thread.
     */
    public static Span child(String name) {
        Invocation invocation = Context.current().get(INVOCATION);
        if (invocation == null) {
            return Span.getInvalid();
        }
        var builder = invocation.tracing.tracer.spanBuilder(name);
        if (invocation.deploymentId != null) {
            builder.setAttribute(DEPLOYMENT_ID, invocation.deploymentId);
        }
        return builder.startSpan();
    }

    /** Ends {@code span} as failed with {@code error}'s type and message. */
    public static void failed(Span span, Throwable error) {
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
        span.end();
    }

    private void flush() {
        CompletableResultCode result = provider.forceFlush();
        result.join(FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    /** One invocation's span: the deployment id once known, the outcome, and the end (which flushes). */
    public static final class Invocation implements AutoCloseable {

        static final Invocation NONE = new Invocation(null, Span.getInvalid());

        private final Tracing tracing;
        private final Span span;
        private Scope scope;
        private String deploymentId;
        private boolean failed;

        private Invocation(Tracing tracing, Span span) {
            this.tracing = tracing;
            this.span = span;
        }

        public void deployment(String id) {
            deploymentId = id;
            span.setAttribute(DEPLOYMENT_ID, id);
        }

        public void failed(String errorType, String message) {
            failed = true;
            span.setStatus(StatusCode.ERROR, message);
            span.setAttribute(ERROR_TYPE, errorType);
        }

        @Override
        public void close() {
            if (tracing == null) {
                return;
            }
            if (!failed) {
                span.setStatus(StatusCode.OK);
            }
            span.end();
            scope.close();
            tracing.flush();
        }
    }
}
