package io.fleethealth.localstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A SASL_SSL listener for the embedded broker: TLS with the given key store, SCRAM-SHA-512 logins, and the KRaft
 * {@code StandardAuthorizer} with {@code adminUser} as the only super user on it. For testing the project against a
 * secured cluster; the key stores are made by the caller.
 *
 * @param keyStore      PKCS12 key store with the broker's key and certificate (for 127.0.0.1)
 * @param trustStore    PKCS12 trust store that holds that certificate (for the broker's own client side)
 * @param storePassword password of both stores and of the key
 * @param adminUser     SCRAM user created when the storage is formatted; the broker's inter-broker login
 * @param adminPassword its password
 */
public record SaslSslListener(Path keyStore, Path trustStore, String storePassword, String adminUser,
                              String adminPassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    public SaslSslListener {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(storePassword, "storePassword");
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
    }

    /** Client properties for a SCRAM-SHA-512 login as {@code user} over TLS trusting the broker's certificate. */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaas(user, password));
        props.put("ssl.truststore.location", trustStore.toString());
        props.put("ssl.truststore.password", storePassword);
        props.put("ssl.truststore.type", "PKCS12");
        return props;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Broker settings on top of the plaintext ones: the listener, TLS, SCRAM and the authorizer. */
    Map<String, String> brokerOverrides(int brokerPort, int controllerPort) {
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        p.put("inter.broker.listener.name", "SASL_SSL");
        // The controller listener stays plaintext on loopback, inside this one process: its callers are
        // ANONYMOUS, which is why ANONYMOUS is a super user. No client listener is plaintext.
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(adminUser, adminPassword));
        p.put("ssl.keystore.location", keyStore.toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.key.password", storePassword);
        p.put("ssl.truststore.location", trustStore.toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + adminUser + ";User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** The StorageTool argument that creates the admin's SCRAM credential when the log is formatted. */
    String formatScramArgument() {
        return MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]";
    }
}
