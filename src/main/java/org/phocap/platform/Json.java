package org.phocap.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * JSON for values the app writes and reads itself (stored packages, event payloads, kept
 * answers), where a failure is a bug rather than bad input.
 */
@ApplicationScoped
public class Json {
    private final ObjectMapper mapper;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON does not read back as " + type.getSimpleName(), e);
        }
    }

    /**
     * The value as JSON with object keys sorted at every level and the named fields removed
     * wherever they appear: a stable text to fingerprint, holding no secret.
     */
    public String canonicalWithout(Object value, java.util.Set<String> removed) {
        com.fasterxml.jackson.databind.JsonNode tree = mapper.valueToTree(value);
        return canonical(tree, removed).toString();
    }

    private com.fasterxml.jackson.databind.JsonNode canonical(
            com.fasterxml.jackson.databind.JsonNode node, java.util.Set<String> removed) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode sorted = mapper.createObjectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            for (String name : names) {
                if (!removed.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    sorted.set(name, canonical(node.get(name), removed));
                }
            }
            return sorted;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode array = mapper.createArrayNode();
            node.forEach(item -> array.add(canonical(item, removed)));
            return array;
        }
        return node;
    }
}
