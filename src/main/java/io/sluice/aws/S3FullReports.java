package io.sluice.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import io.sluice.error.Echo;
import io.sluice.function.FullReports;

/**
 * Full reports in S3, under {@code reports/<deploymentId>/<function>-<UTC time>.json} of the configured bucket (the
 * bundle bucket, deployed): a person reads them there, the deploy job links them, a lifecycle rule expires them. A
 * failed upload is logged and the cut result says the whole one was not kept; the invocation's own outcome stands.
 */
public class S3FullReports implements FullReports {

    private static final Logger LOG = Logger.getLogger(S3FullReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String bucket;
    private final Supplier<S3Client> client;

    public S3FullReports(String bucket, Supplier<S3Client> clients) {
        this.bucket = bucket;
        this.client = new Lazy<>(clients);
    }

    @Override
    public Optional<String> keep(String function, String deploymentId, byte[] report) {
        String key = "reports/" + deploymentId + "/" + function + "-" + STAMP.format(Instant.now()) + ".json";
        try {
            client.get().putObject(request -> request.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(report));
            return Optional.of("s3://" + bucket + "/" + key);
        } catch (SdkException e) {
            LOG.warnf("the full report of %s (%d bytes) could not be kept in s3://%s/%s: %s", function, report.length, bucket, key,
                    Echo.value(e.getMessage()));
            return Optional.empty();
        }
    }
}
