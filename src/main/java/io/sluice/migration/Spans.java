package io.sluice.migration;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

import io.sluice.tracing.Tracing;

/** The span of one script (applied or undone), a child of the invocation's when it is traced. */
final class Spans {

    static final AttributeKey<String> SCRIPT = AttributeKey.stringKey("sluice.script");
    static final AttributeKey<String> VERSION = AttributeKey.stringKey("sluice.version");

    private Spans() {
    }

    /** {@code <verb> <script>}, e.g. {@code migrate V3__orders.sql}, with the script and its version as attributes. */
    static Span script(String verb, String script, String version) {
        Span span = Tracing.child(verb + " " + script);
        span.setAttribute(SCRIPT, script);
        if (version != null) {
            span.setAttribute(VERSION, version);
        }
        return span;
    }
}
