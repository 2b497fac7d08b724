package io.sluice.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;


import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.sluice.config.SluiceConfig;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.MigrationSource;
import io.sluice.files.FileRoots;
import io.sluice.function.MigrationBundles;

/**
 * Migration bundles from S3: a zip, streamed to {@code /tmp} under a size cap while its SHA-256 is computed, refused
 * unless that matches the event's, then unpacked within limits (entry count, unpacked bytes), refusing any entry that
 * would land outside its folder (zip slip) and any symbolic link (the entry count bounded before the zip's central
 * directory is read), into a folder named by the digest. A warm container
 * that already unpacked a digest uses it again without fetching; the oldest unpacked bundles beyond
 * {@code sluice.aws.bundles-kept} are removed. Nothing half-written is ever used: a bundle is unpacked beside its
 * folder and moved into place only when complete.
 */
public class S3Bundles implements MigrationBundles {

    private final SluiceConfig.Aws config;
    private final Supplier<S3Client> client;
    private final Path root;
    private final AtomicInteger downloads = new AtomicInteger();

    public S3Bundles(SluiceConfig config) {
        this(config.aws(), () -> AwsClients.s3(config.aws()), FileRoots.BUNDLES);
    }

    public S3Bundles(SluiceConfig.Aws config, Supplier<S3Client> clients, Path root) {
        this.config = config;
        this.client = new Lazy<>(clients);
        this.root = root;
    }

    /** How many bundles were downloaded (not found unpacked already). */
    public int downloads() {
        return downloads.get();
    }

    @Override
    public synchronized MigrationSource fetch(MigrationSource bundle) {
        Path folder = root.resolve(bundle.sha256());
        if (Files.isDirectory(folder)) {
            touch(folder);
            return MigrationSource.parse("filesystem:" + folder);
        }
        String uri = bundle.path();
        String bucket = uri.substring("s3://".length(), uri.indexOf('/', "s3://".length()));
        String key = uri.substring(uri.indexOf('/', "s3://".length()) + 1);
        Path zip = null;
        Path staging = null;
        try {
            Files.createDirectories(root);
            zip = Files.createTempFile(root, "download-", ".zip");
            String actual = download(bucket, key, zip, uri);
            if (!actual.equals(bundle.sha256())) {
                throw new InvalidRequest("field 'migrations': " + uri + " has SHA-256 " + actual + ", not the " + bundle.sha256()
                        + " the event names; nothing was unpacked or run");
            }
            staging = root.resolve(".unpacking-" + UUID.randomUUID());
            unpack(zip, staging, uri);
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            prune();
            return MigrationSource.parse("filesystem:" + folder);
        } catch (IOException e) {
            throw new InvalidRequest("field 'migrations': " + uri + " could not be unpacked: " + Echo.value(e.getMessage()));
        } finally {
            delete(zip);
            delete(staging);
        }
    }

    /** Streams the object to {@code zip} under the size cap; returns its SHA-256. */
    private String download(String bucket, String key, Path zip, String uri) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        downloads.incrementAndGet();
        try (ResponseInputStream<GetObjectResponse> object = client.get().getObject(request -> request.bucket(bucket).key(key));
                InputStream in = new DigestInputStream(object, sha256);
                OutputStream out = Files.newOutputStream(zip, StandardOpenOption.TRUNCATE_EXISTING)) {
            Long length = object.response().contentLength();
            if (length != null && length > config.bundleMaxBytes()) {
                throw new InvalidRequest("field 'migrations': " + uri + " is " + length + " bytes, more than the "
                        + config.bundleMaxBytes() + " a bundle may have (sluice.aws.bundle-max-bytes)");
            }
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = in.read(buffer)) > 0; ) {
                total += read;
                if (total > config.bundleMaxBytes()) {
                    throw new InvalidRequest("field 'migrations': " + uri + " is larger than the " + config.bundleMaxBytes()
                            + " bytes a bundle may have (sluice.aws.bundle-max-bytes)");
                }
                out.write(buffer, 0, read);
            }
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new InvalidRequest("field 'migrations': " + uri + " does not exist");
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw new DatabaseUnavailable("S3 could not give " + uri + " now (HTTP " + e.statusCode() + "); try again", e);
            }
            throw new InvalidRequest("field 'migrations': S3 refused " + uri + " (HTTP " + e.statusCode() + "): the function's role"
                    + " needs s3:GetObject on it");
        } catch (SdkClientException e) {
            throw new DatabaseUnavailable("cannot reach S3 for " + uri + ": " + Echo.value(e.getMessage()), e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    void unpack(Path zip, Path target, String uri) throws IOException {
        if (centralDirectoryRecords(zip, config.bundleMaxEntries()) > config.bundleMaxEntries()) {
            throw tooManyEntries(uri);
        }
        Files.createDirectories(target);
        Path base = target.toRealPath();
        try (FileChannel channel = FileChannel.open(zip);
                ZipFile archive = ZipFile.builder().setSeekableByteChannel(channel).get()) {
            int entries = 0;
            long unpacked = 0;
            for (Enumeration<ZipArchiveEntry> all = archive.getEntries(); all.hasMoreElements(); ) {
                ZipArchiveEntry entry = all.nextElement();
                if (++entries > config.bundleMaxEntries()) {
                    throw tooManyEntries(uri);
                }
                if (entry.isUnixSymlink()) {
                    throw new InvalidRequest("field 'migrations': " + uri + " holds a symbolic link, " + Echo.value(entry.getName())
                            + "; a bundle holds plain files and folders only");
                }
                Path destination = base.resolve(entry.getName()).normalize();
                if (!destination.startsWith(base) || entry.getName().startsWith("/") || entry.getName().contains("\\")) {
                    throw new InvalidRequest("field 'migrations': " + uri + " holds the entry " + Echo.value(entry.getName())
                            + ", which would land outside the bundle's folder; nothing was unpacked");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = archive.getInputStream(entry); OutputStream out = Files.newOutputStream(destination)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        unpacked += read;
                        if (unpacked > config.bundleMaxUnpackedBytes()) {
                            throw new InvalidRequest("field 'migrations': " + uri + " unpacks to more than "
                                    + config.bundleMaxUnpackedBytes() + " bytes (sluice.aws.bundle-max-unpacked-bytes)");
                        }
                        out.write(buffer, 0, read);
                    }
                }
            }
        }
    }

    private InvalidRequest tooManyEntries(String uri) {
        return new InvalidRequest("field 'migrations': " + uri + " holds more than " + config.bundleMaxEntries()
                + " entries (sluice.aws.bundle-max-entries)");
    }

    /**
     * How many central-directory record signatures ({@code PK\1\2}) the file holds, counted in one streamed pass and
     * given up once past {@code limit}. A zip reader builds one entry per record it finds, wherever its end records say
     * the directory starts, so this bounds the entries any reader can list, whatever counts the end records claim; it is
     * checked before a reader builds that list (a million records fit in 47 MB and would take gigabytes as entries).
     */
    static long centralDirectoryRecords(Path zip, long limit) throws IOException {
        long records = 0;
        int window = 0;
        try (InputStream in = Files.newInputStream(zip)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                for (int i = 0; i < read; i++) {
                    window = window << 8 | buffer[i] & 0xFF;
                    if (window == 0x504B0102 && ++records > limit) {
                        return records;
                    }
                }
            }
        }
        return records;
    }

    /** Removes the least recently used unpacked bundles beyond the number kept. */
    private void prune() throws IOException {
        List<Path> folders;
        try (Stream<Path> all = Files.list(root)) {
            folders = all.filter(Files::isDirectory).filter(path -> !path.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(S3Bundles::lastUsed).reversed()).toList();
        }
        for (Path old : folders.subList(Math.min(folders.size(), Math.max(1, config.bundlesKept())), folders.size())) {
            delete(old);
        }
    }

    private static long lastUsed(Path folder) {
        try {
            return Files.getLastModifiedTime(folder).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void touch(Path folder) {
        try {
            Files.setLastModifiedTime(folder, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // only the pruning order suffers
        }
    }

    private static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            // left for the next prune
        }
    }
}
