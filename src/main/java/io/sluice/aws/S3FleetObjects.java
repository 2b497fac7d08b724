package io.sluice.aws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.fleet.FleetObjects;

/**
 * A fleet's objects in S3: the manifest it is read from, and its plan, waves, results and summary under
 * {@code fleet/<execution name>/} of the fleet bucket. An object over the size asked for is refused before it is read.
 */
public class S3FleetObjects implements FleetObjects {

    private final Supplier<S3Client> client;

    public S3FleetObjects(Supplier<S3Client> clients) {
        this.client = new Lazy<>(clients);
    }

    @Override
    public String read(String bucket, String key, long maxBytes) {
        String where = "s3://" + Echo.value(bucket + "/" + key);
        try {
            long size = client.get().headObject(request -> request.bucket(bucket).key(key)).contentLength();
            if (size > maxBytes) {
                throw new InvalidRequest(where + " is " + size + " bytes; at most " + maxBytes + " are read");
            }
            ResponseBytes<GetObjectResponse> bytes = client.get().getObjectAsBytes(request -> request.bucket(bucket).key(key));
            return new String(bytes.asByteArray(), StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            throw new InvalidRequest(where + " does not exist");
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                throw new InvalidRequest(where + " does not exist");
            }
            throw new InvalidRequest(where + " cannot be read: " + Echo.value(e.getMessage()) + "; the function's role needs s3:GetObject on it");
        } catch (SdkException e) {
            throw new DatabaseUnavailable("S3 did not answer for " + where + ": " + Echo.value(e.getMessage()), e);
        }
    }

    @Override
    public void write(String bucket, String key, String body) {
        try {
            client.get().putObject(request -> request.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(body));
        } catch (SdkException e) {
            throw new DatabaseUnavailable("S3 did not keep s3://" + Echo.value(bucket + "/" + key) + ": " + Echo.value(e.getMessage()), e);
        }
    }

    @Override
    public List<String> keys(String bucket, String prefix, int max) {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : client.get().listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents()) {
                if (keys.size() == max) {
                    break;
                }
                keys.add(object.key());
            }
        } catch (SdkException e) {
            throw new DatabaseUnavailable("S3 did not list s3://" + Echo.value(bucket + "/" + prefix) + ": " + Echo.value(e.getMessage()), e);
        }
        return keys;
    }
}
