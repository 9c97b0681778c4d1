package dev.kubeyard.addons.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an installation's values against its addon version's values.schema.json before anything is rendered, with
 * networknt's json-schema-validator, so that the error names the value at fault ({@code output.port: must have a
 * maximum value of 65535}). What is checked is what Helm renders with: the user's values merged over the defaults.
 * A schema without {@code $schema} is read as draft-07, the draft Helm's charts use.
 */
public final class ValuesValidator {

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** The problems of the values (empty when they pass), in the order the validator found them. */
    public List<ValueProblem> validate(AddonVersion version, ObjectNode userValues) {
        if (version.schema().isEmpty()) {
            return List.of();
        }
        Schema schema = compiled.computeIfAbsent(
                version.ref(), ref -> registry.getSchema(version.schema().get()));
        ObjectNode effective = Values.merge(version.defaults(), userValues);
        List<ValueProblem> problems = new ArrayList<>();
        for (Error error : schema.validate(effective)) {
            problems.add(new ValueProblem(dotted(error.getInstanceLocation(), error.getProperty()), message(error)));
        }
        return problems;
    }

    /** The instance path as dots; for a missing required property, the property itself. */
    private static String dotted(NodePath location, String property) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(element);
            }
        }
        if (property != null && !property.isEmpty() && !out.toString().endsWith(property)) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(property);
        }
        return out.toString();
    }

    /** The validator's message without its leading instance path (the path is given apart). */
    private static String message(Error error) {
        String message = error.getMessage();
        int colon = message.indexOf(": ");
        if (message.startsWith("/") || message.startsWith("$")) {
            return colon > 0 ? message.substring(colon + 2) : message;
        }
        return message;
    }
}
