package dev.kubeyard.platform.addons;

import dev.kubeyard.addons.control.AddonService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The addon catalog: every certified addon and its versions; anyone signed in may read it. */
@Path("/api/v1/addons")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Addons")
public class AddonCatalogResource {

    @Inject
    AddonService addons;

    @GET
    @Operation(summary = "The catalog: every certified addon and its versions")
    public AddonViews.Catalog catalog() {
        return new AddonViews.Catalog(addons.catalog().addons().stream()
                .map(a -> AddonViews.Addon.of(a, false))
                .toList());
    }

    @GET
    @Path("/{addon}")
    @Operation(summary = "One addon with, per version, its default values and the JSON Schema of the values")
    public AddonViews.Addon addon(@PathParam("addon") String addon) {
        return AddonViews.Addon.of(addons.definition(addon), true);
    }
}
