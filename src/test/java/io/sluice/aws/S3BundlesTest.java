package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import io.sluice.error.InvalidRequest;
import io.sluice.function.DatabaseSecrets;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrateFunction;
import io.sluice.function.Notifications;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.AwsSettings;
import io.sluice.testing.MotoServer;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Migration bundles from moto's S3 through the real migrate handler: a good bundle runs (and a warm second invocation
 * does not fetch it again); a wrong SHA-256, a zip-slip entry, a symbolic link, too many entries or too many bytes are
 * typed errors that leave nothing unpacked and the database untouched.
 */
class S3BundlesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private S3Client s3;
    private String bucket;
    private TestDatabase db;

    @BeforeEach
    void moto() {
        String endpoint = MotoServer.endpoint();
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        bucket = "bundles-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(request -> request.bucket(bucket));
        db = PostgresServer.get().newDatabase();
    }

    private S3Bundles bundles(long maxBytes, int maxEntries) {
        return new S3Bundles(AwsSettings.emulator(MotoServer.endpoint()).withBundleLimits(maxBytes, maxEntries), () -> s3, root);
    }

    private JsonNode migrate(S3Bundles bundles, String key, String sha256) throws Exception {
        MigrateFunction function = new MigrateFunction(Sluice.migrate(), new FunctionBoundary(new EventCodec(),
                new InvocationMetrics(MetricsSink.NONE), DatabaseSecrets.NONE, bundles, Notifications.NONE, FullReports.NONE));
        String event = "{\"migrations\": {\"s3\": \"s3://" + bucket + "/" + key + "\", \"sha256\": \"" + sha256 + "\"}, \"database\": "
                + db.targetJson() + "}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    /** A zip of name/content pairs; a name ending in "@link" becomes a symbolic link to its content. */
    private static byte[] zip(String... entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < entries.length; i += 2) {
                String name = entries[i];
                ZipArchiveEntry entry = new ZipArchiveEntry(name.replace("@link", ""));
                if (name.endsWith("@link")) {
                    entry.setUnixMode(0120777);
                }
                zip.putArchiveEntry(entry);
                zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private String upload(String key, byte[] zip) throws Exception {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(zip));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
    }

    @Test
    void bundle_isFetchedCheckedUnpackedAndRun_andAWarmInvocationUsesItAgainWithoutFetching() throws Exception {
        byte[] bundle = zip("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);\n",
                "U1__customers.sql", "DROP TABLE customers;\n",
                "sub/V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);\n");
        String sha256 = upload("releases/app-42.zip", bundle);
        S3Bundles bundles = bundles(1_000_000, 100);

        JsonNode first = migrate(bundles, "releases/app-42.zip", sha256);
        JsonNode second = migrate(bundles, "releases/app-42.zip", sha256);

        assertThat(first.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(first.get("applied").findValuesAsText("script")).containsExactly("V1__customers.sql", "sub/V2__orders.sql");
        assertThat(second.get("status").asText()).isEqualTo("UP_TO_DATE");
        assertThat(bundles.downloads()).isEqualTo(1);
        assertThat(Files.isRegularFile(root.resolve(sha256).resolve("sub/V2__orders.sql"))).isTrue();
        try (var left = Files.list(root)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("no download or staging left").containsExactly(sha256);
        }
    }

    @Test
    void wrongDigest_isRefused_andNothingIsUnpackedOrRun() throws Exception {
        String actual = upload("releases/app-43.zip", zip("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY);\n"));
        String claimed = "0".repeat(64);

        assertThatThrownBy(() -> migrate(bundles(1_000_000, 100), "releases/app-43.zip", claimed)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/releases/app-43.zip has SHA-256 " + actual + ", not the " + claimed
                        + " the event names; nothing was unpacked or run");
        assertNothingUnpacked();
    }

    @Test
    void zipSlip_symbolicLink_tooManyEntries_andTooManyBytes_areRefused() throws Exception {
        String slip = upload("slip.zip", zip("V1__a.sql", "SELECT 1;\n", "../../escaped.sql", "SELECT 2;\n"));
        String link = upload("link.zip", zip("V1__a.sql", "SELECT 1;\n", "V2__b.sql@link", "/etc/passwd"));
        String many = upload("many.zip", zip("V1__a.sql", "SELECT 1;\n", "V2__b.sql", "SELECT 2;\n", "V3__c.sql", "SELECT 3;\n"));
        byte[] large = zip("V1__a.sql", "SELECT 1;\n" + "-- padding\n".repeat(500));
        String big = upload("big.zip", large);

        assertThatThrownBy(() -> migrate(bundles(1_000_000, 100), "slip.zip", slip)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/slip.zip holds the entry ../../escaped.sql, which would land outside"
                        + " the bundle's folder; nothing was unpacked");
        assertThatThrownBy(() -> migrate(bundles(1_000_000, 100), "link.zip", link)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/link.zip holds a symbolic link, V2__b.sql; a bundle holds plain files"
                        + " and folders only");
        assertThatThrownBy(() -> migrate(bundles(1_000_000, 2), "many.zip", many)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/many.zip holds more than 2 entries (sluice.aws.bundle-max-entries)");
        assertThatThrownBy(() -> migrate(bundles(large.length - 1, 100), "big.zip", big)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/big.zip is " + large.length + " bytes, more than the "
                        + (large.length - 1) + " a bundle may have (sluice.aws.bundle-max-bytes)");
        assertThat(Files.exists(root.getParent().resolve("escaped.sql"))).isFalse();
        assertNothingUnpacked();
    }

    @Test
    void aZipOfAMillionEntries_isRefusedBeforeItsCentralDirectoryIsRead() throws Exception {
        Path zip = root.resolve("million.zip");
        Files.write(zip, centralDirectoryBomb(1_000_000));
        Path target = root.resolve("million");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        assertThatThrownBy(() -> bundles(60_000_000, 10_000).unpack(zip, target, "s3://" + bucket + "/million.zip"))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'migrations': s3://" + bucket + "/million.zip holds more than 10000 entries"
                        + " (sluice.aws.bundle-max-entries)");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(Files.size(zip)).as("the bomb is within the bundle size cap").isLessThan(60_000_000);
        assertThat(allocated).as("bytes allocated refusing it: the central directory was never read into entries")
                .isLessThan(8L * 1024 * 1024);
    }

    /**
     * A zip whose central directory names one local entry {@code count} times: 47 bytes a record, so a million entries
     * fit in 47 MB, with the zip64 end records a reader follows when there are more than 65,535.
     */
    private static byte[] centralDirectoryBomb(int count) {
        byte[] name = "V1__a.sql".getBytes(StandardCharsets.US_ASCII);
        int local = 30 + name.length;
        int record = 46 + name.length;
        long directory = (long) record * count;
        ByteBuffer zip = ByteBuffer.allocate(Math.toIntExact(local + directory + 56 + 20 + 22)).order(ByteOrder.LITTLE_ENDIAN);
        zip.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0).putInt(0)
                .putShort((short) name.length).putShort((short) 0).put(name);
        for (int i = 0; i < count; i++) {
            zip.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(0).putInt(0).putInt(0).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(name);
        }
        long end64 = local + directory;
        zip.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0).putLong(count).putLong(count)
                .putLong(directory).putLong(local);
        zip.putInt(0x07064b50).putInt(0).putLong(end64).putInt(1);
        zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF).putShort((short) 0xFFFF)
                .putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) 0);
        return zip.array();
    }

    private void assertNothingUnpacked() throws Exception {
        try (var left = Files.list(root)) {
            assertThat(left).as("no bundle folder, download or staging left").isEmpty();
        }
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }
}
