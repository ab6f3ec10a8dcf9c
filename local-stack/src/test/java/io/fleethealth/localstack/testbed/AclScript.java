package io.fleethealth.localstack.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Reads the {@code acl ...} lines of the ACL script in docs/security.md (the arguments of
 * {@code kafka-acls.sh --add}) into ACL bindings, so that a test applies exactly the documented ACLs. Knows the
 * options the script uses; any other one fails, so the script cannot drift into what this reader ignores.
 */
public final class AclScript {

    private AclScript() {
    }

    /** The project's docs/security.md, from a module's working directory. */
    public static Path projectDoc() {
        Path doc = Path.of("..", "docs", "security.md").toAbsolutePath().normalize();
        if (!Files.exists(doc)) {
            throw new IllegalStateException("docs/security.md not found at " + doc);
        }
        return doc;
    }

    /**
     * @param variables values for the script's shell variables, e.g. {@code APP_ID} and {@code HOST}
     */
    public static List<AclBinding> bindings(Path markdown, Map<String, String> variables) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (!line.startsWith("acl --")) {
                continue;
            }
            for (Map.Entry<String, String> v : variables.entrySet()) {
                line = line.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
            }
            if (line.contains("$")) {
                throw new IllegalArgumentException("unresolved variable in: " + raw.strip());
            }
            bindings.addAll(parse(line.replace("\"", "").split("\\s+")));
        }
        if (bindings.isEmpty()) {
            throw new IllegalStateException("no 'acl --' lines in " + markdown);
        }
        return bindings;
    }

    private static List<AclBinding> parse(String[] tokens) {
        String principal = null;
        List<AclOperation> operations = new ArrayList<>();
        ResourceType type = null;
        String name = null;
        PatternType pattern = PatternType.LITERAL;
        for (int i = 1; i < tokens.length; i++) {
            String option = tokens[i];
            String value = i + 1 < tokens.length ? tokens[i + 1] : null;
            switch (option) {
                case "--allow-principal" -> principal = value;
                case "--operation" -> operations.add(AclOperation.valueOf(value.toUpperCase(java.util.Locale.ROOT)));
                case "--topic" -> { type = ResourceType.TOPIC; name = value; }
                case "--group" -> { type = ResourceType.GROUP; name = value; }
                case "--transactional-id" -> { type = ResourceType.TRANSACTIONAL_ID; name = value; }
                case "--resource-pattern-type" -> pattern = PatternType.valueOf(value.toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("option not understood: " + option + " in "
                        + String.join(" ", tokens));
            }
            i++;
        }
        if (principal == null || type == null || operations.isEmpty() || operations.contains(AclOperation.UNKNOWN)
                || pattern == PatternType.UNKNOWN) {
            throw new IllegalArgumentException("incomplete ACL line: " + String.join(" ", tokens));
        }
        List<AclBinding> result = new ArrayList<>();
        for (AclOperation operation : operations) {
            result.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        return result;
    }
}
