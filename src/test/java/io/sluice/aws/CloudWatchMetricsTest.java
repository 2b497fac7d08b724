package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import io.sluice.command.CanaryCommand;
import io.sluice.event.ApplicationMetric;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.event.CanaryReport;
import io.sluice.event.CanarySignal;
import io.sluice.event.CanarySignal.Status;
import io.sluice.event.CanaryVerdict;
import io.sluice.testing.AwsSettings;
import io.sluice.testing.LocalStackServer;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The application's own metrics as canary signals, read from CloudWatch as LocalStack serves it to SDK 2.57.8 (RPCv2
 * CBOR, which moto does not route): the metrics are put with PutMetricData, then read by the adapter alone and by a
 * canary check on a real PostgreSQL, whose window decides which datapoints count.
 */
class CloudWatchMetricsTest {

    private CloudWatchClient cloudWatch;
    private String namespace;

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @BeforeEach
    void client() {
        cloudWatch = AwsClients.cloudWatch(AwsSettings.emulator(LocalStackServer.endpoint()));
        namespace = "Shop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void put(String metric, String service, Instant at, double... values) {
        List<Double> list = new ArrayList<>();
        for (double value : values) {
            list.add(value);
        }
        cloudWatch.putMetricData(request -> request.namespace(namespace).metricData(MetricDatum.builder().metricName(metric)
                .dimensions(Dimension.builder().name("Service").value(service).build()).timestamp(at).values(list)
                .unit(StandardUnit.NONE).build()));
    }

    private static double[] oneTo(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i + 1;
        }
        return values;
    }

    private ApplicationMetric latency(String statistic, double max) {
        return new ApplicationMetric("checkout-latency", namespace, "Latency", Map.of("Service", "checkout"), statistic, null, max, "ms");
    }

    private ApplicationMetric errorRate(double max) {
        return new ApplicationMetric("checkout-errors", namespace, "Errors", Map.of("Service", "checkout"), null, "Requests", max, "ratio");
    }

    // Percentile statistics (p95) are sent as CloudWatch names them; LocalStack 2026.3.0 answers them with HTTP 500, so
    // the statistic read here is Maximum.
    @Test
    void adapter_readsAStatistic_aRateAsOneSumPerAnother_andOnlyTheNamedDimension() {
        Instant now = Instant.now();
        put("Latency", "checkout", now, oneTo(100));
        put("Latency", "search", now, 5_000, 5_000, 5_000);
        put("Errors", "checkout", now, 1, 1, 1);
        put("Requests", "checkout", now, 100, 100);

        Map<String, Double> values = new CloudWatchMetrics(() -> cloudWatch).read(
                List.of(latency("Maximum", 1_000), errorRate(0.01)), now.minusSeconds(30), now.plusSeconds(30));

        assertThat(values).containsOnlyKeys("checkout-latency", "checkout-errors");
        assertThat(values.get("checkout-latency")).as("search's 5,000 ms is another dimension's").isEqualTo(100.0);
        assertThat(values.get("checkout-errors")).isEqualTo(0.015);
    }

    @Test
    void adapter_givesNothingForAWindowWithoutDatapoints_orARateWithNoRequests() {
        Instant now = Instant.now();
        put("Errors", "checkout", now, 2);

        Map<String, Double> values = new CloudWatchMetrics(() -> cloudWatch).read(
                List.of(latency("Average", 100), errorRate(0.01)), now.minusSeconds(30), now.plusSeconds(30));

        assertThat(values).isEmpty();
    }

    @Test
    void canaryCheck_failsTheStageOnTheApplicationsErrorRate_andHoldsItNearTheLatencyLimit() {
        TestDatabase db = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
        CanaryCommand canary = new CanaryCommand(Sluice.connector(), new CloudWatchMetrics(() -> cloudWatch));
        List<ApplicationMetric> metrics = List.of(latency("Maximum", 110), errorRate(0.01));

        CanaryReport first = canary.run(request(db, null, metrics));
        // Between the first check's reading and now, so inside the second check's window whenever that one reads: a fixed
        // offset after the first reading could fall after the second one and, across a minute boundary, out of the window.
        long opened = first.counters().readAtMs();
        Instant inWindow = Instant.ofEpochMilli(opened + (System.currentTimeMillis() - opened) / 2);
        put("Latency", "checkout", inWindow, oneTo(100));
        put("Errors", "checkout", inWindow, 3);
        put("Requests", "checkout", inWindow, 200);
        CanaryReport second = canary.run(request(db, first, metrics));

        assertThat(first.signals()).filteredOn(signal -> signal.check().startsWith("app:"))
                .extracting(CanarySignal::check, CanarySignal::status, CanarySignal::message).containsExactly(
                        tuple("app:checkout-latency", Status.SKIPPED, "a first check opens the window"),
                        tuple("app:checkout-errors", Status.SKIPPED, "a first check opens the window"));
        assertThat(second.verdict()).isEqualTo(CanaryVerdict.FAILED);
        assertThat(second.signals()).filteredOn(signal -> signal.check().startsWith("app:"))
                .extracting(CanarySignal::check, CanarySignal::status, CanarySignal::value, CanarySignal::message).containsExactly(
                        tuple("app:checkout-latency", Status.DEGRADED, 100.0,
                                namespace + " Latency Maximum: 100 ms (limit 110)"),
                        tuple("app:checkout-errors", Status.FAILED, 0.015,
                                namespace + " Errors per Requests: 0.015 ratio (limit 0.01)"));
        assertThat(second.alerts()).first().asString().startsWith("FAILED app:checkout-errors");
    }

    private static CanaryCheckRequest request(TestDatabase db, CanaryReport previous, List<ApplicationMetric> metrics) {
        return new CanaryCheckRequest(null, db.target(), null, 25, previous == null ? null : previous.counters(), null, null, null, null,
                metrics);
    }
}
