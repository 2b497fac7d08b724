package io.sluice.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the tests' own, standing in for Amazon RDS's: a root CA, and server certificates it signs
 * for a host name, as RDS signs each instance's. {@link #bundle(Path)} writes its root as PEM, the shape of the RDS
 * global bundle the functions are given.
 */
public final class TestCa {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final X500Name subject;
    private final KeyPair keys;
    private final X509Certificate root;

    public TestCa(String name) {
        this.subject = new X500Name("CN=" + name + ", OU=Sluice tests, O=Sluice");
        this.keys = rsa();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.root = new JcaX509CertificateConverter().getCertificate(builder.build(signer(keys)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the test CA could not be made", e);
        }
    }

    /** A server's certificate and key, signed by this CA, naming {@code host} (only: 127.0.0.1 is another name). */
    public record Server(Path certificate, Path key) {
    }

    /** Writes a server certificate for {@code host} and its key (mode 0600, as PostgreSQL requires) into {@code folder}. */
    public Server server(String host, Path folder) {
        KeyPair serverKeys = rsa();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(),
                    new X500Name("CN=" + host), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer(keys)));
            Files.createDirectories(folder);
            Path cert = folder.resolve("server.crt");
            Path key = folder.resolve("server.key");
            Files.writeString(cert, pem(certificate));
            Files.writeString(key, pem(serverKeys.getPrivate()));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return new Server(cert, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the server certificate could not be made", e);
        }
    }

    /** Writes this CA's root certificate as a PEM bundle to {@code file}. */
    public Path bundle(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofDays(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
