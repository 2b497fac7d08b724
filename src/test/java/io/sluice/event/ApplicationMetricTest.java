package io.sluice.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.error.InvalidRequest;

/** What an application metric in a canary-check event may be, and the message when it is not. */
class ApplicationMetricTest {

    private static ApplicationMetric metric(String id, String statistic, String per, Double max) {
        return new ApplicationMetric(id, "Shop", "Latency", Map.of("Service", "checkout"), statistic, per, max, null);
    }

    @Test
    void defaults_sumAndCount_andTheSignalIsNamedAfterTheId() {
        ApplicationMetric metric = metric("checkout_latency-1", null, null, 10.0);

        assertThat(metric.statistic()).isEqualTo("Sum");
        assertThat(metric.unit()).isEqualTo("count");
        assertThat(metric.check()).isEqualTo("app:checkout_latency-1");
        assertThat(metric("p", "p99.9", null, 1.0).statistic()).isEqualTo("p99.9");
    }

    @Test
    void badMetrics_areRefusedNamingTheField() {
        assertThatThrownBy(() -> metric("checkout latency", null, null, 1.0)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'applicationMetrics' holds an id 'checkout latency': 1-64 letters, digits, '-' or '_'");
        assertThatThrownBy(() -> metric("p", "p100", null, 1.0)).isInstanceOf(InvalidRequest.class)
                .hasMessage("application metric 'p' has statistic 'p100': one of p50-p99.99, Average, Maximum, Minimum, Sum, SampleCount");
        assertThatThrownBy(() -> metric("rate", "Average", "Requests", 1.0)).isInstanceOf(InvalidRequest.class)
                .hasMessage("application metric 'rate' divides by 'Requests': only a Sum can be divided (a rate is one sum per another)");
        assertThatThrownBy(() -> metric("p", "p95", null, null)).isInstanceOf(InvalidRequest.class)
                .hasMessage("application metric 'p' needs 'max', the limit its value is held to (>= 0)");
        assertThatThrownBy(() -> new ApplicationMetric("p", "Shop", "Latency", Map.of("Service", "a\nb"), null, null, 1.0, null))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("application metric 'p' needs 'dimension Service' of 1-255 printable characters, not 'a\\nb'");
    }

    @Test
    void aCheckRequest_holdsAtMostTenMetrics_withDistinctIds() {
        DatabaseTarget db = new DatabaseTarget("jdbc:postgresql://localhost/app", "app", "secret");
        ApplicationMetric one = metric("one", null, null, 1.0);

        assertThatThrownBy(() -> new CanaryCheckRequest(null, db, null, 5, null, null, null, null, null, List.of(one, one)))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'applicationMetrics' uses an id twice: each names its own signal");
        List<ApplicationMetric> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> metric("m" + i, null, null, 1.0)).toList();
        assertThatThrownBy(() -> new CanaryCheckRequest(null, db, null, 5, null, null, null, null, null, eleven))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'applicationMetrics' names more than 10 metrics");
    }
}
