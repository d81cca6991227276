package io.mqttboot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test PKI generated at test time with BouncyCastle: CA, server (localhost), client and a second "wrong" CA.
 */
public final class TestCertificates {

	/** Password of every PKCS#12 store written by this class. */
	public static final String PASSWORD = "secret";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static TestCertificates shared;

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	/**
	 * Generate a fresh CA, server and client certificates (and a wrong CA) and write them into {@code directory}.
	 * @param directory the target directory (created if needed)
	 * @return the certificates
	 */
	public static TestCertificates generate(Path directory) {
		try {
			Files.createDirectories(directory);
			TestCertificates certificates = new TestCertificates(directory);
			certificates.write();
			return certificates;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Failed to generate test certificates", ex);
		}
	}

	/**
	 * Return certificates generated once per JVM in a temporary directory.
	 * @return the shared certificates
	 */
	public static synchronized TestCertificates shared() {
		if (shared == null) {
			try {
				Path dir = Files.createTempDirectory("mqttboot-certs-");
				shared = generate(dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return shared;
	}

	private void write() throws Exception {
		Instant now = Instant.now();
		KeyPair caKeys = newKeyPair();
		X509Certificate ca = caCertificate("mqttboot-test-ca", caKeys, now);
		KeyPair serverKeys = newKeyPair();
		GeneralNames serverNames = new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
				new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1") });
		X509Certificate server = leafCertificate("localhost", serverKeys, ca, caKeys.getPrivate(),
				KeyPurposeId.id_kp_serverAuth, serverNames, now);
		KeyPair clientKeys = newKeyPair();
		X509Certificate client = leafCertificate("mqttboot-client", clientKeys, ca, caKeys.getPrivate(),
				KeyPurposeId.id_kp_clientAuth, null, now);
		KeyPair wrongCaKeys = newKeyPair();
		X509Certificate wrongCa = caCertificate("mqttboot-wrong-ca", wrongCaKeys, now);
		writePem(caCrt(), "CERTIFICATE", ca.getEncoded());
		writePem(serverCrt(), "CERTIFICATE", server.getEncoded());
		writePem(serverKey(), "PRIVATE KEY", serverKeys.getPrivate().getEncoded());
		writePem(clientCrt(), "CERTIFICATE", client.getEncoded());
		writePem(clientKey(), "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
		writePem(wrongCaCrt(), "CERTIFICATE", wrongCa.getEncoded());
		writeTrustStore(truststore(), ca);
		writeTrustStore(wrongTruststore(), wrongCa);
		KeyStore clientStore = KeyStore.getInstance("PKCS12");
		clientStore.load(null, null);
		clientStore.setKeyEntry("client", clientKeys.getPrivate(), PASSWORD.toCharArray(),
				new Certificate[] { client, ca });
		store(clientStore, clientP12());
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048, RANDOM);
		return generator.generateKeyPair();
	}

	private static X509Certificate caCertificate(String cn, KeyPair keys, Instant now) throws Exception {
		X500Name name = new X500Name("CN=" + cn);
		JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name,
				keys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
		return sign(builder, keys.getPrivate());
	}

	private static X509Certificate leafCertificate(String cn, KeyPair keys, X509Certificate issuer,
			PrivateKey issuerKey, KeyPurposeId purpose, GeneralNames names, Instant now) throws Exception {
		JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
				new X500Name("CN=" + cn), keys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.keyUsage, true,
				new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
		builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
		builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
		builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
		if (names != null) {
			builder.addExtension(Extension.subjectAlternativeName, false, names);
		}
		return sign(builder, issuerKey);
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
	}

	private static BigInteger serial() {
		return new BigInteger(64, RANDOM).add(BigInteger.ONE);
	}

	private static void writePem(Path path, String type, byte[] der) throws IOException {
		String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
		Files.writeString(path, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
				StandardCharsets.US_ASCII);
	}

	private static void writeTrustStore(Path path, X509Certificate ca) throws Exception {
		KeyStore trustStore = KeyStore.getInstance("PKCS12");
		trustStore.load(null, null);
		trustStore.setCertificateEntry("ca", ca);
		store(trustStore, path);
	}

	private static void store(KeyStore keyStore, Path path) throws Exception {
		try (OutputStream out = Files.newOutputStream(path)) {
			keyStore.store(out, PASSWORD.toCharArray());
		}
	}

	private static KeyStore load(Path path) throws GeneralSecurityException, IOException {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(path)) {
			keyStore.load(in, PASSWORD.toCharArray());
		}
		return keyStore;
	}

	/**
	 * Build an {@link SSLContext} trusting the given PKCS#12 truststore, optionally presenting the client certificate.
	 * @param trustStore the truststore (for example {@link #truststore()} or {@link #wrongTruststore()})
	 * @param withClientCertificate whether to present {@link #clientP12()}
	 * @return the SSL context
	 */
	public SSLContext sslContext(Path trustStore, boolean withClientCertificate) {
		try {
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(load(trustStore));
			KeyManagerFactory kmf = null;
			if (withClientCertificate) {
				kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(load(clientP12()), PASSWORD.toCharArray());
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((kmf != null) ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Socket factory that trusts the test CA and presents no client certificate (one-way TLS).
	 * @return the socket factory
	 */
	public SSLSocketFactory trustingSocketFactory() {
		return sslContext(truststore(), false).getSocketFactory();
	}

	/**
	 * Socket factory that trusts the test CA and presents the client certificate (mutual TLS).
	 * @return the socket factory
	 */
	public SSLSocketFactory mutualTlsSocketFactory() {
		return sslContext(truststore(), true).getSocketFactory();
	}

	/**
	 * Socket factory that trusts only the wrong CA, so the handshake with the test server must fail.
	 * @return the socket factory
	 */
	public SSLSocketFactory wrongCaSocketFactory() {
		return sslContext(wrongTruststore(), false).getSocketFactory();
	}

	public Path directory() {
		return this.directory;
	}

	public Path caCrt() {
		return this.directory.resolve("ca.crt");
	}

	public Path serverCrt() {
		return this.directory.resolve("server.crt");
	}

	public Path serverKey() {
		return this.directory.resolve("server.key");
	}

	public Path clientCrt() {
		return this.directory.resolve("client.crt");
	}

	public Path clientKey() {
		return this.directory.resolve("client.key");
	}

	/** PKCS#12 truststore containing only the test CA, password {@value #PASSWORD}. */
	public Path truststore() {
		return this.directory.resolve("truststore.p12");
	}

	/** PKCS#12 keystore with the client key and chain (client, CA), alias "client", password {@value #PASSWORD}. */
	public Path clientP12() {
		return this.directory.resolve("client.p12");
	}

	/** A second CA that signed nothing the test server uses. */
	public Path wrongCaCrt() {
		return this.directory.resolve("wrong-ca.crt");
	}

	/** PKCS#12 truststore containing only the wrong CA, password {@value #PASSWORD}. */
	public Path wrongTruststore() {
		return this.directory.resolve("wrong-truststore.p12");
	}

}
