package io.fleethealth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key store with a self-signed certificate for {@code localhost} / {@code 127.0.0.1} and a trust store holding
 * that certificate, generated at test time with the JDK's keytool (nothing checked in, nothing that outlives the
 * test run: two days of validity).
 *
 * @param keyStore   PKCS12 with the private key and certificate (alias {@code server})
 * @param trustStore PKCS12 with the certificate only
 * @param password   of both stores and of the key
 */
public record TestTls(Path keyStore, Path trustStore, String password) {

    /** Generates the pair under {@code dir} (created when missing), named after {@code name}. */
    public static TestTls generate(Path dir, String name, String password) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve(name + "-keystore.p12");
            Path trustStore = dir.resolve(name + "-truststore.p12");
            Path cert = dir.resolve(name + ".crt");
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(trustStore);
            Files.deleteIfExists(cert);
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password,
                    "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                    "-storepass", password, "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(),
                    "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", password);
            return new TestTls(keyStore, trustStore, password);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot generate test key stores in " + dir, e);
        }
    }

    /** A server-side TLS context from the key store. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load " + keyStore, e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " exited with " + process.exitValue() + ": "
                        + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }
}
