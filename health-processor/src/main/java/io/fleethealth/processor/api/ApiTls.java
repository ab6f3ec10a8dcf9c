package io.fleethealth.processor.api;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Optional TLS for the operators' API. With a key store the API serves https only, and requests forwarded to the
 * instance owning a session go over https too (trusting {@code PROCESSOR_HTTPS_TRUSTSTORE_LOCATION}, or the JVM's
 * default), so the admin token never crosses the network in clear text. Loaded and checked at start.
 */
public final class ApiTls {

    public static final Setting<Optional<Path>> KEYSTORE_LOCATION = Setting.optional("PROCESSOR_HTTPS_KEYSTORE_LOCATION",
            "key store (key and certificate) of the operators' API; when set the API serves https only and forwards"
                    + " to other instances over https", "(none: plain http)", ValueParser.path());
    public static final Setting<Optional<String>> KEYSTORE_PASSWORD = Setting.secret(
            "PROCESSOR_HTTPS_KEYSTORE_PASSWORD", "password of the API key store (and of its key)", "(none)",
            ValueParser.text());
    public static final Setting<String> KEYSTORE_TYPE = Setting.of("PROCESSOR_HTTPS_KEYSTORE_TYPE",
            "type of the API key and trust stores", "PKCS12", ValueParser.oneOf(List.of("PKCS12", "JKS")));
    public static final Setting<Optional<Path>> TRUSTSTORE_LOCATION = Setting.optional(
            "PROCESSOR_HTTPS_TRUSTSTORE_LOCATION",
            "certificates trusted when forwarding to another processor instance over https", "(JVM default)",
            ValueParser.path());
    public static final Setting<Optional<String>> TRUSTSTORE_PASSWORD = Setting.secret(
            "PROCESSOR_HTTPS_TRUSTSTORE_PASSWORD", "password of the API trust store", "(none)", ValueParser.text());

    public static final List<Setting<?>> SETTINGS = List.of(KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE,
            TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD);

    /** Plain HTTP. */
    public static final ApiTls NONE = new ApiTls(null, null);

    private final SSLContext server;
    private final SSLContext client;

    private ApiTls(SSLContext server, SSLContext client) {
        this.server = server;
        this.client = client;
    }

    /** Reads and loads the stores; a store that cannot be loaded stops the processor at start. */
    public static ApiTls fromEnv(Map<String, String> env) {
        Optional<Path> keyStore = KEYSTORE_LOCATION.resolve(env.get(KEYSTORE_LOCATION.key()), null);
        Optional<String> keyPassword = KEYSTORE_PASSWORD.resolve(env.get(KEYSTORE_PASSWORD.key()), null);
        String type = KEYSTORE_TYPE.resolve(env.get(KEYSTORE_TYPE.key()), null);
        Optional<Path> trustStore = TRUSTSTORE_LOCATION.resolve(env.get(TRUSTSTORE_LOCATION.key()), null);
        Optional<String> trustPassword = TRUSTSTORE_PASSWORD.resolve(env.get(TRUSTSTORE_PASSWORD.key()), null);
        if (keyStore.isEmpty()) {
            return NONE;
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] password = keyPassword.map(String::toCharArray).orElse(null);
            keys.init(load(keyStore.get(), type, password, KEYSTORE_LOCATION), password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keys.getKeyManagers(), null, null);
            SSLContext client = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = null;
            if (trustStore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(trustStore.get(), type, trustPassword.map(String::toCharArray).orElse(null),
                        TRUSTSTORE_LOCATION));
            }
            client.init(null, trust == null ? null : trust.getTrustManagers(), null);
            return new ApiTls(server, client);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(KEYSTORE_LOCATION.key(), "Cannot use the API key store " + keyStore.get()
                    + " given by " + KEYSTORE_LOCATION.key() + ": " + e.getMessage());
        }
    }

    /** TLS from contexts built by the caller (tests). */
    public static ApiTls of(SSLContext server, SSLContext client) {
        return new ApiTls(server, client);
    }

    public boolean enabled() {
        return server != null;
    }

    /** {@code https} with TLS, {@code http} without. */
    public String scheme() {
        return enabled() ? "https" : "http";
    }

    Optional<SSLContext> serverContext() {
        return Optional.ofNullable(server);
    }

    Optional<SSLContext> clientContext() {
        return Optional.ofNullable(client);
    }

    @Override
    public String toString() {
        return enabled() ? "https" : "http (no PROCESSOR_HTTPS_KEYSTORE_LOCATION)";
    }

    private static KeyStore load(Path path, String type, char[] password, Setting<?> setting)
            throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException e) {
            // The message names the file or says the password is wrong; it never holds the password.
            throw new ConfigException(setting.key(), "Cannot load " + path + " given by " + setting.key() + " ("
                    + type + "): " + e.getMessage());
        }
    }
}
