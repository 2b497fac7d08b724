package io.sluice.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.sluice.config.SluiceConfig;

/** The function's {@link Tracing}: OTLP when {@code sluice.tracing.otlp-endpoint} is set, off otherwise. */
@ApplicationScoped
public class TracingProducer {

    /** A singleton, not a proxied bean: {@link Tracing} is final. */
    @Produces
    @Singleton
    Tracing tracing(SluiceConfig config) {
        return of(config.tracing());
    }

    public static Tracing of(SluiceConfig.Tracing config) {
        return config.otlpEndpoint().map(endpoint -> Tracing.otlp(endpoint, config.serviceName(), config.exportTimeout()))
                .orElse(Tracing.OFF);
    }
}
