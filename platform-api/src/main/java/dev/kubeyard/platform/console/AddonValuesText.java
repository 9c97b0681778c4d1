package dev.kubeyard.platform.console;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kubeyard.platform.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Reads the values an operator typed into the console's install form as YAML (JSON is YAML too) and answers them as
 * the JSON object the addon API takes. The API takes JSON only, and the console has no YAML parser of its own in the
 * browser; nothing is stored or checked against a schema here (the API does that when the form sends the result).
 */
@Path("/console/addon-values")
public class AddonValuesText {

    /** More than any addon's values; keeps a pasted log file from being parsed. */
    static final int MAX_CHARS = 256 * 1024;

    private static final YAMLMapper YAML = new YAMLMapper();

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public JsonNode read(String text) {
        return parse(text);
    }

    /** The values as a JSON object; empty text is no values. Anything else is a 400 about the field {@code values}. */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return YAML.createObjectNode();
        }
        if (text.length() > MAX_CHARS) {
            throw ProblemException.invalidField("values", "is longer than " + MAX_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField(
                    "values", "is neither YAML nor JSON: " + where(e) + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return YAML.createObjectNode();
        }
        if (!node.isObject()) {
            throw ProblemException.invalidField(
                    "values", "must be a mapping of keys to values (such as replicas: 2), not a " + kind(node));
        }
        return node;
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "list";
        }
        if (node.isTextual()) {
            return "single text";
        }
        return "single " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
