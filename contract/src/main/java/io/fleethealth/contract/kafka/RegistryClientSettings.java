package io.fleethealth.contract.kafka;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.serde.HttpSchemaRegistryClient;
import io.fleethealth.serde.RegistryAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How every runnable authenticates to the schema registry and which certificates it trusts for https, with the
 * names the Kafka ecosystem uses. The credentials are secrets: {@link #describe()} only says whether they are set.
 *
 * @param basicAuthUserInfo  {@code user:password} for HTTP basic auth
 * @param bearerToken        a static bearer token (an OAuth access token, say)
 * @param trustStore         key store of the certificates to trust for https (the JVM's default when empty)
 * @param trustStorePassword its password
 * @param trustStoreType     PKCS12 or JKS
 */
public record RegistryClientSettings(Optional<String> basicAuthUserInfo, Optional<String> bearerToken,
                                     Optional<Path> trustStore, Optional<String> trustStorePassword,
                                     String trustStoreType) {

    public static final Setting<Optional<String>> BASIC_AUTH_USER_INFO = Setting.secret(
            "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:password for HTTP basic auth against the schema registry",
            "(none)", ValueParser.of("user:password", raw -> {
                if (raw.indexOf(':') <= 0) {
                    throw new IllegalArgumentException("no user:password");
                }
                return raw.strip();
            }, value -> value));
    public static final Setting<Optional<String>> BEARER_AUTH_TOKEN = Setting.secret(
            "SCHEMA_REGISTRY_BEARER_AUTH_TOKEN", "a static bearer token sent to the schema registry", "(none)",
            ValueParser.text());
    public static final Setting<Optional<Path>> SSL_TRUSTSTORE_LOCATION = Setting.optional(
            "SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", "trust store of the certificates to trust for an https registry",
            "(JVM default)", ValueParser.path());
    public static final Setting<Optional<String>> SSL_TRUSTSTORE_PASSWORD = Setting.secret(
            "SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", "password of the registry trust store", "(none)",
            ValueParser.text());
    public static final Setting<String> SSL_TRUSTSTORE_TYPE = Setting.of("SCHEMA_REGISTRY_SSL_TRUSTSTORE_TYPE",
            "type of the registry trust store", "PKCS12", ValueParser.oneOf(List.of("PKCS12", "JKS")));

    public static final List<Setting<?>> SETTINGS = List.of(BASIC_AUTH_USER_INFO, BEARER_AUTH_TOKEN,
            SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE);

    public static final RegistryClientSettings NONE = new RegistryClientSettings(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), "PKCS12");

    public static RegistryClientSettings fromEnv(Map<String, String> env) {
        RegistryClientSettings settings = new RegistryClientSettings(
                BASIC_AUTH_USER_INFO.resolve(env.get(BASIC_AUTH_USER_INFO.key()), null),
                BEARER_AUTH_TOKEN.resolve(env.get(BEARER_AUTH_TOKEN.key()), null),
                SSL_TRUSTSTORE_LOCATION.resolve(env.get(SSL_TRUSTSTORE_LOCATION.key()), null),
                SSL_TRUSTSTORE_PASSWORD.resolve(env.get(SSL_TRUSTSTORE_PASSWORD.key()), null),
                SSL_TRUSTSTORE_TYPE.resolve(env.get(SSL_TRUSTSTORE_TYPE.key()), null));
        if (settings.basicAuthUserInfo.isPresent() && settings.bearerToken.isPresent()) {
            throw new ConfigException(BEARER_AUTH_TOKEN.key(), "Set either " + BASIC_AUTH_USER_INFO.key() + " or "
                    + BEARER_AUTH_TOKEN.key() + ", not both: the registry gets one Authorization header");
        }
        settings.access(); // an unreadable trust store stops the program at start, not at the first record
        return settings;
    }

    /** A registry client for {@code baseUrl} with these credentials and trust store. */
    public HttpSchemaRegistryClient client(URI baseUrl) {
        return new HttpSchemaRegistryClient(baseUrl, HttpSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT,
                HttpSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT, access());
    }

    /** What the registry client needs: the Authorization header and the TLS context. */
    public RegistryAccess access() {
        Optional<String> authorization = basicAuthUserInfo.map(RegistryAccess::basic)
                .or(() -> bearerToken.map(RegistryAccess::bearer));
        return new RegistryAccess(authorization, trustStore.map(this::sslContext));
    }

    /** For the start log: which settings are set; never a credential. */
    public String describe() {
        return SETTINGS.stream().map(s -> s.key() + "=" + shown(s)).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return "RegistryClientSettings[" + describe() + "]";
    }

    private String shown(Setting<?> setting) {
        if (setting == BASIC_AUTH_USER_INFO) {
            return basicAuthUserInfo.isPresent() ? "(set)" : "(not set)";
        }
        if (setting == BEARER_AUTH_TOKEN) {
            return bearerToken.isPresent() ? "(set)" : "(not set)";
        }
        if (setting == SSL_TRUSTSTORE_PASSWORD) {
            return trustStorePassword.isPresent() ? "(set)" : "(not set)";
        }
        if (setting == SSL_TRUSTSTORE_LOCATION) {
            return trustStore.map(Path::toString).orElse("(JVM default)");
        }
        return trustStoreType;
    }

    private SSLContext sslContext(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(trustStoreType);
            store.load(in, trustStorePassword.map(String::toCharArray).orElse(null));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // The exception text names the file or the format problem, never the password.
            throw new ConfigException(SSL_TRUSTSTORE_LOCATION.key(), "Cannot load the registry trust store " + path + " given by " + SSL_TRUSTSTORE_LOCATION.key()
                    + " (" + SSL_TRUSTSTORE_TYPE.key() + "=" + trustStoreType + ", password from "
                    + SSL_TRUSTSTORE_PASSWORD.key() + "): " + e.getMessage());
        }
    }
}
