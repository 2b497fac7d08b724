package io.sluice.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

import io.sluice.canary.ApplicationMetrics;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.ApplicationMetric;

/**
 * The application's metrics from CloudWatch, in one GetMetricData call per check: the window is widened to whole
 * minutes and read as a single period, so a percentile is the window's percentile, not a mean of per-minute ones. A
 * rate is read as two sums and divided here. Where CloudWatch still returns several datapoints, the largest counts:
 * a canary errs towards holding the stage.
 */
public class CloudWatchMetrics implements ApplicationMetrics {

    private final Supplier<CloudWatchClient> client;

    public CloudWatchMetrics(Supplier<CloudWatchClient> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public Map<String, Double> read(List<ApplicationMetric> metrics, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Instant end = to.truncatedTo(ChronoUnit.MINUTES).equals(to) ? to : to.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        int period = (int) Math.max(60, Duration.between(start, end).toSeconds());
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            ApplicationMetric metric = metrics.get(i);
            queries.add(query("m" + i, metric, metric.metric(), metric.statistic(), period));
            if (metric.per() != null) {
                queries.add(query("d" + i, metric, metric.per(), "Sum", period));
            }
        }
        Map<String, Double> byQuery = new HashMap<>();
        try {
            String token = null;
            do {
                String page = token;
                GetMetricDataResponse response = client.get().getMetricData(request -> request.metricDataQueries(queries)
                        .startTime(start).endTime(end).nextToken(page));
                for (MetricDataResult result : response.metricDataResults()) {
                    result.values().stream().mapToDouble(Double::doubleValue).max()
                            .ifPresent(value -> byQuery.merge(result.id(), value, Math::max));
                }
                token = response.nextToken();
            } while (token != null);
        } catch (CloudWatchException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new DatabaseUnavailable("CloudWatch could not give the application metrics now (HTTP " + e.statusCode()
                        + "); try again", e);
            }
            throw new InvalidRequest("field 'applicationMetrics': CloudWatch refused GetMetricData ("
                    + (e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode() + ": "
                            + Echo.value(e.awsErrorDetails().errorMessage()))
                    + "); the function's role needs cloudwatch:GetMetricData");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach CloudWatch for the application metrics: " + Echo.value(e.getMessage()), e);
        }
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            ApplicationMetric metric = metrics.get(i);
            Double value = byQuery.get("m" + i);
            if (metric.per() != null && value != null) {
                Double divisor = byQuery.get("d" + i);
                value = divisor == null || divisor == 0 ? null : value / divisor;
            }
            if (value != null) {
                values.put(metric.id(), value);
            }
        }
        return values;
    }

    private static MetricDataQuery query(String id, ApplicationMetric metric, String name, String statistic, int period) {
        List<Dimension> dimensions = metric.dimensions().entrySet().stream()
                .map(entry -> Dimension.builder().name(entry.getKey()).value(entry.getValue()).build()).toList();
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(stat -> stat.period(period).stat(statistic)
                        .metric(m -> m.namespace(metric.namespace()).metricName(name).dimensions(dimensions)))
                .build();
    }
}
