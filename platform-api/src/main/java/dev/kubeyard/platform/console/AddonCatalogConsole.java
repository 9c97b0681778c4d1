package dev.kubeyard.platform.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.kubeyard.platform.addons.AddonCatalogResource;
import dev.kubeyard.platform.addons.AddonViews;
import dev.kubeyard.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's addon catalog: every certified addon with its versions (the Kubernetes versions each supports, where
 * its objects come from, its notes and health checks), and per version its default values and the JSON Schema of the
 * values a user may set. Read from the catalog API ({@link AddonCatalogResource}), so the page says what the API says;
 * anyone signed in may read it.
 */
@Path("/console/addons")
@Produces(MediaType.TEXT_HTML)
public class AddonCatalogConsole {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance catalog(ConsoleHeader page, List<AddonViews.Addon> addons);

        static native TemplateInstance version(
                ConsoleHeader page, AddonViews.Addon addon, AddonViews.Version version, String defaults, String schema);
    }

    @Inject
    AddonCatalogResource catalog;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    ConsoleCaller caller;

    @GET
    @Operation(hidden = true)
    public TemplateInstance page() {
        return Templates.catalog(caller.header(), catalog.catalog().items());
    }

    @GET
    @Path("/{addon}/versions/{version}")
    @Operation(hidden = true)
    public TemplateInstance version(@PathParam("addon") String addon, @PathParam("version") String version) {
        AddonViews.Addon definition = catalog.addon(addon);
        AddonViews.Version found = definition.versions().stream()
                .filter(v -> v.version().equals(version))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound(addon + " has no version " + version + " in the catalog"));
        return Templates.version(
                caller.header(),
                definition,
                found,
                pretty(found.defaults()),
                found.valuesSchema() == null ? null : pretty(found.valuesSchema()));
    }

    /** Two-space indented JSON, {@code "key": value}; the template escapes it. */
    String pretty(JsonNode node) {
        if (node == null) {
            return "{}";
        }
        ObjectWriter writer = objectMapper.writer(new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a catalog document that Jackson read cannot be written back", e);
        }
    }
}
