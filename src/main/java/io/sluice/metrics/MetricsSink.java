package io.sluice.metrics;

/** Where metric lines go: stdout in Lambda (CloudWatch Logs turns EMF lines into metrics), nowhere for local runs. */
public interface MetricsSink {

    void emit(String line);

    /** One line on standard output, flushed: what the Lambda runtime ships to CloudWatch Logs. */
    MetricsSink STDOUT = line -> {
        System.out.println(line);
        System.out.flush();
    };

    /** Drops every line (the local runner, which prints its own summary). */
    MetricsSink NONE = line -> {
    };
}
