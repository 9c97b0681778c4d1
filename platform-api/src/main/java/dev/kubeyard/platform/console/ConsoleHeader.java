package dev.kubeyard.platform.console;

import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * What the top of every console page needs: where links start, the sandbox banner, who is signed in, and whether the
 * navigation offers the fleet-wide pages (addon rollouts: those who hold {@link Permission#READ_FLEET}).
 */
public record ConsoleHeader(String base, boolean sandbox, String user, boolean fleet) {

    static ConsoleHeader of(UriInfo uriInfo, RancherConnection rancher, RequestContext request, Authorizer authorizer) {
        return new ConsoleHeader(
                ConsolePages.base(uriInfo),
                rancher.sandbox(),
                request.actor(),
                authorizer.allows(request.subject(), Permission.READ_FLEET, null));
    }
}
