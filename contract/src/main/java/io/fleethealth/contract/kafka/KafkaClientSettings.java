package io.fleethealth.contract.kafka;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How every fleet-health Kafka client (producer, consumer, admin, Kafka Streams and its internal clients) connects:
 * the bootstrap servers plus the client properties an operator supplies for a secured cluster (TLS, SASL, ...).
 *
 * <p>Client properties come from two places, the later one winning for the same key:
 * <ol>
 *   <li>a client properties file, {@code KAFKA_CLIENT_CONFIG_FILE} (or {@code --command-config FILE} on the CLI),
 *       in the format of Kafka's own {@code --command-config} files, so that secrets can come from a mounted file;</li>
 *   <li>any {@code KAFKA_*} environment variable, mapped the way Apache Kafka's and Confluent's images map them:
 *       drop {@code KAFKA_}, lower-case, then {@code ___} becomes {@code -}, {@code __} becomes {@code _} and
 *       {@code _} becomes {@code .}. {@code KAFKA_SECURITY_PROTOCOL} is {@code security.protocol},
 *       {@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION} is
 *       {@code ssl.truststore.location}.</li>
 * </ol>
 * {@code KAFKA_BOOTSTRAP_SERVERS} keeps its own handling (each runnable's setting, or the embedded broker), and the
 * variables of Kafka's launch scripts ({@code KAFKA_HEAP_OPTS}, {@code KAFKA_OPTS}, ...) are not client properties.
 * A name that no Kafka client knows stops the program at start, naming the variable: a typo in a security setting
 * would otherwise silently leave the client unsecured. What a component sets for its own correctness (idempotence,
 * isolation level, processing guarantee, serializers) is applied after these and wins.
 */
public final class KafkaClientSettings {

    public static final String ENV_PREFIX = "KAFKA_";

    public static final Setting<Optional<Path>> CLIENT_CONFIG_FILE = Setting.optional("KAFKA_CLIENT_CONFIG_FILE",
            "a Kafka client properties file (security.protocol, sasl.*, ssl.*), like --command-config of Kafka's tools;"
                    + " KAFKA_* variables override its keys", "(none)", ValueParser.path());

    /** Variables starting with KAFKA_ that are not client properties. */
    static final Set<String> NOT_CLIENT_PROPERTIES = Set.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_CLIENT_CONFIG_FILE",
            "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS",
            "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_HOME", "KAFKA_VERSION", "KAFKA_LOG_DIR");

    private static final Set<String> KNOWN = knownClientProperties();
    private static final java.util.List<String> STREAMS_CLIENT_PREFIXES = StreamsNames.CLIENT_PREFIXES;

    private final String bootstrapServers;
    private final Map<String, String> properties;
    private final Map<String, String> origins;

    private KafkaClientSettings(String bootstrapServers, Map<String, String> properties, Map<String, String> origins) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.properties = Map.copyOf(properties);
        this.origins = Map.copyOf(origins);
    }

    /** A plaintext cluster with no client properties: the embedded broker, tests and benchmarks. */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of(), Map.of());
    }

    /** Client properties from {@code KAFKA_CLIENT_CONFIG_FILE} and the {@code KAFKA_*} variables of {@code env}. */
    public static KafkaClientSettings fromEnv(String bootstrapServers, Map<String, String> env) {
        return fromEnv(bootstrapServers, env, Optional.empty());
    }

    /**
     * Same as {@link #fromEnv(String, Map)}; a {@code commandConfig} file (the CLI's {@code --command-config})
     * replaces {@code KAFKA_CLIENT_CONFIG_FILE}.
     *
     * @throws ConfigException naming the variable (or the file) when a property is unknown or the file unreadable
     */
    public static KafkaClientSettings fromEnv(String bootstrapServers, Map<String, String> env,
                                              Optional<Path> commandConfig) {
        Map<String, String> properties = new TreeMap<>();
        Map<String, String> origins = new HashMap<>();
        Optional<Path> file = commandConfig.isPresent()
                ? commandConfig
                : CLIENT_CONFIG_FILE.resolve(env.get(CLIENT_CONFIG_FILE.key()), null);
        file.ifPresent(path -> readFile(path, commandConfig.isPresent() ? "--command-config" : CLIENT_CONFIG_FILE.key(),
                properties, origins));
        new TreeMap<>(env).forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || NOT_CLIENT_PROPERTIES.contains(name) || value == null) {
                return;
            }
            String property = propertyName(name);
            requireKnown(property, name);
            properties.put(property, value);
            origins.put(property, name);
        });
        if (properties.containsKey(CommonNames.BOOTSTRAP_SERVERS)) {
            throw new ConfigException(origins.get(CommonNames.BOOTSTRAP_SERVERS), "bootstrap.servers may not be set in "
                    + origins.get(CommonNames.BOOTSTRAP_SERVERS) + ": use KAFKA_BOOTSTRAP_SERVERS (or --bootstrap-servers)");
        }
        return new KafkaClientSettings(bootstrapServers, properties, origins);
    }

    /**
     * The client property an environment variable stands for, by the rule of Apache Kafka's and Confluent's
     * images: {@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}, {@code KAFKA_FOO__BAR} is
     * {@code foo_bar}, {@code KAFKA_FOO___BAR} is {@code foo-bar}.
     */
    public static String propertyName(String envName) {
        if (!envName.startsWith(ENV_PREFIX)) {
            throw new IllegalArgumentException(envName + " does not start with " + ENV_PREFIX);
        }
        // Placeholders keep the longer runs from being split by the shorter rule.
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace("___", "\u0001")
                .replace("__", "\u0002")
                .replace('_', '.')
                .replace('\u0001', '-')
                .replace('\u0002', '_');
    }

    /** True for a property whose value must never be printed or logged. */
    public static boolean isSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return p.contains("password") || p.contains("jaas") || p.contains("secret") || p.contains("token")
                || p.contains("credential") || p.endsWith(".key") || p.contains("keystore.key")
                || p.contains("certificate.chain") || p.contains("truststore.certificates");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The operator's client properties (without bootstrap.servers), for showing which keys are set. */
    public Set<String> propertyNames() {
        return new TreeMap<>(properties).keySet();
    }

    /** {@code security.protocol}, PLAINTEXT when unset. */
    public String securityProtocol() {
        return properties.getOrDefault(CommonNames.SECURITY_PROTOCOL, "PLAINTEXT");
    }

    /**
     * A fresh, mutable map for any client: bootstrap.servers and the operator's properties. The caller adds its own
     * settings after, so that they win.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> all = new HashMap<>(properties);
        all.put(CommonNames.BOOTSTRAP_SERVERS, bootstrapServers);
        return all;
    }

    /** Same as {@link #clientProperties()}, as {@link Properties} (Kafka Streams applies them to every internal client). */
    public Properties asProperties() {
        Properties props = new Properties();
        props.putAll(clientProperties());
        return props;
    }

    /** One line for the start log: every key and where it came from; secret values are never shown. */
    public String describe() {
        String shown = new TreeMap<>(properties).entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "(hidden)" : e.getValue())
                        + " [" + origins.get(e.getKey()) + "]")
                .collect(Collectors.joining(", "));
        return "bootstrap.servers=" + bootstrapServers + (shown.isEmpty() ? " (no client properties)" : ", " + shown);
    }

    @Override
    public String toString() {
        return "KafkaClientSettings[" + describe() + "]";
    }

    private static void readFile(Path path, String origin, Map<String, String> properties, Map<String, String> origins) {
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new ConfigException(origin, "Cannot read the Kafka client properties file " + path + " given by "
                    + origin + ": " + e);
        }
        for (String name : loaded.stringPropertyNames()) {
            requireKnown(name, origin + " (" + path + ")");
            properties.put(name, loaded.getProperty(name));
            origins.put(name, origin);
        }
    }

    private static void requireKnown(String property, String origin) {
        if (!isKnown(property)) {
            throw new ConfigException(origin, origin + " sets '" + property + "', which no Kafka client knows: expected"
                    + " a producer, consumer, admin or Kafka Streams property such as security.protocol,"
                    + " sasl.mechanism, sasl.jaas.config or ssl.truststore.location (rule: KAFKA_SASL_JAAS_CONFIG ->"
                    + " sasl.jaas.config, __ -> _, ___ -> -)");
        }
    }

    /** A client property, or one Kafka Streams passes to one kind of its clients ({@code producer.acks}). */
    static boolean isKnown(String property) {
        if (KNOWN.contains(property)) {
            return true;
        }
        for (String prefix : STREAMS_CLIENT_PREFIXES) {
            if (property.startsWith(prefix) && KNOWN.contains(property.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> knownClientProperties() {
        Set<String> names = new HashSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.addAll(StreamsNames.PROPERTIES); // not StreamsConfig: the agent runs without the Streams jar
        return Set.copyOf(names);
    }

    /** Property names used here, without a dependency on one client's config class. */
    private static final class CommonNames {
        static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
        static final String SECURITY_PROTOCOL = "security.protocol";
    }
}
