package dev.kubeyard.platform.console;

import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;

/**
 * The signed-in caller as every console page sees it: the {@link ConsoleHeader} at the top of the page, where the
 * page's links start, and what the caller may do, which decides the forms and buttons a page offers (the API checks
 * again when they are used).
 */
@RequestScoped
class ConsoleCaller {

    @Inject
    Authorizer authorizer;

    @Inject
    RancherConnection rancher;

    @Inject
    RequestContext request;

    @Inject
    UriInfo uriInfo;

    /** The top of the page: base path, sandbox banner, who is signed in, and the fleet-wide navigation. */
    ConsoleHeader header() {
        return new ConsoleHeader(base(), rancher.sandbox(), request.actor(), allows(Permission.READ_FLEET, null));
    }

    /** Where the page's links start ({@link ConsolePages#base}). */
    String base() {
        return ConsolePages.base(uriInfo);
    }

    /** Whether the caller holds the permission, for the team or ({@code null}) platform-wide; asks, records nothing. */
    boolean allows(Permission permission, String team) {
        return authorizer.allows(request.subject(), permission, team);
    }
}
