package io.sluice.aws;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.sluice.config.DeploymentLists;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.NotAllowed;

/**
 * The lists object Terraform writes ({@code config/lists-<sha256>.json} in the bundle bucket), read once per container
 * and held only when its SHA-256 is the one the function's environment names: whoever may write the bucket but not
 * the function's configuration cannot add a secret or an approver. Until it is read and matches, nothing is allowed.
 */
public class S3DeploymentLists implements DeploymentLists.Source {

    /** A lists object of 10,000 secrets is about 1 MB. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bucket;
    private final String key;
    private final String sha256;
    private final Supplier<S3Client> client;
    private volatile DeploymentLists lists;

    public S3DeploymentLists(String bucket, String key, String sha256, Supplier<S3Client> clients) {
        this.bucket = bucket;
        this.key = key;
        this.sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
        this.client = new Lazy<>(clients);
    }

    /** The configured lists object, or {@link DeploymentLists.Source#NONE} where the configuration names none. */
    public static DeploymentLists.Source of(io.sluice.config.SluiceConfig.Aws aws) {
        Optional<String> key = aws.listsObject();
        if (key.isEmpty()) {
            return DeploymentLists.Source.NONE;
        }
        String where = "sluice.aws.lists-object " + key.get();
        String bucket = aws.reportsBucket().orElseThrow(() -> new NotAllowed(where + " is set but sluice.aws.reports-bucket, its"
                + " bucket, is not; nothing is allowed"));
        String digest = aws.listsSha256().filter(value -> value.matches("[0-9a-fA-F]{64}")).orElseThrow(() -> new NotAllowed(where
                + " is set without sluice.aws.lists-sha256, the SHA-256 (64 hex digits) it must have; nothing is allowed"));
        return new S3DeploymentLists(bucket, key.get(), digest, () -> AwsClients.s3(aws));
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public DeploymentLists lists() {
        DeploymentLists read = lists;
        if (read == null) {
            synchronized (this) {
                if (lists == null) {
                    lists = read();
                }
                read = lists;
            }
        }
        return read;
    }

    private DeploymentLists read() {
        String uri = "s3://" + bucket + "/" + key;
        byte[] content;
        try (ResponseInputStream<GetObjectResponse> object = client.get().getObject(request -> request.bucket(bucket).key(key))) {
            content = bounded(object, uri);
        } catch (NoSuchKeyException e) {
            throw new NotAllowed("the deployment's lists object " + uri + " (sluice.aws.lists-object) does not exist; nothing is allowed"
                    + " until Terraform has written it");
        } catch (S3Exception e) {
            if (e.statusCode() >= 500 || e.statusCode() == 429) {
                throw new DatabaseUnavailable("S3 could not give the deployment's lists object " + uri + " now (HTTP " + e.statusCode()
                        + "); try again", e);
            }
            throw new NotAllowed("S3 refused the deployment's lists object " + uri + " (HTTP " + e.statusCode() + "): the function's"
                    + " role needs s3:GetObject on config/*; nothing is allowed");
        } catch (SdkClientException | IOException e) {
            throw new DatabaseUnavailable("cannot read the deployment's lists object " + uri + ": " + Echo.value(e.getMessage())
                    + "; try again", e);
        }
        String actual = HexFormat.of().formatHex(digest(content));
        if (!actual.equals(sha256)) {
            throw new NotAllowed("the deployment's lists object " + uri + " has SHA-256 " + actual + ", not the " + sha256 + " the"
                    + " function's configuration names (sluice.aws.lists-sha256): it was written by something other than this"
                    + " deployment's Terraform; nothing is allowed");
        }
        return parse(content, uri);
    }

    private static byte[] bounded(InputStream in, String uri) throws IOException {
        byte[] content = in.readNBytes(MAX_BYTES + 1);
        if (content.length > MAX_BYTES) {
            throw new NotAllowed("the deployment's lists object " + uri + " is larger than " + MAX_BYTES + " bytes; nothing is allowed");
        }
        return content;
    }

    static DeploymentLists parse(byte[] content, String uri) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new NotAllowed("the deployment's lists object " + uri + " is not a JSON object; nothing is allowed");
        }
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (String list : DeploymentLists.SECRET_LISTS) {
            secrets.put(list, strings(root, list, uri));
        }
        return new DeploymentLists(secrets, strings(root, "approvers", uri));
    }

    private static List<String> strings(JsonNode root, String field, String uri) {
        JsonNode list = root.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new NotAllowed("the deployment's lists object " + uri + ": '" + field + "' is not a list; nothing is allowed");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : list) {
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new NotAllowed("the deployment's lists object " + uri + ": '" + field + "' holds " + Echo.value(value.toString())
                        + ", not a string; nothing is allowed");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
