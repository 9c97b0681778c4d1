package dev.kubeyard.platform.console;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The operator console: one page at {@code /} listing the clusters, server-rendered (Qute), with the list refreshed
 * every few seconds from {@code console/clusters} by a few lines of script (no framework, nothing from a CDN). Read
 * only: every change goes through the API under {@code /api/v1}. Each cluster links to its healing and addons pages;
 * the navigation leads to the addon catalog and, for those who may see the fleet, the addon rollouts.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    /** The console lists at most this many clusters; the API pages through all of them. */
    static final int LIMIT = 500;

    @CheckedTemplate
    static class Templates {
        /** The whole page. */
        static native TemplateInstance index(ConsoleHeader page, String rancherUrl, ClusterList list);

        /** The cluster list alone (the fragment {@code clusters} of the page), for the refresh. */
        static native TemplateInstance index$clusters(ClusterList list);
    }

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    RancherConnection rancher;

    @Inject
    ConsoleCaller caller;

    @Inject
    PlatformConfig config;

    @Inject
    Clock clock;

    @Inject
    RequestContext request;

    @Context
    UriInfo uriInfo;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(hidden = true)
    public TemplateInstance page() {
        return Templates.index(caller.header(), rancher.url(), read());
    }

    @GET
    @Path("console/clusters")
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(hidden = true)
    public TemplateInstance clusterList() {
        return Templates.index$clusters(read());
    }

    private ClusterList read() {
        Instant now = clock.instant();
        // One row more than shown tells whether there are more, without a count query.
        List<ManagedCluster> rows = clusters.pageByName(
                null,
                LIMIT + 1,
                null,
                Map.of(),
                request.principal().visibleTeams().orElse(null));
        boolean more = rows.size() > LIMIT;
        List<ClusterRow> shown = (more ? rows.subList(0, LIMIT) : rows)
                .stream().map(cluster -> ClusterRow.of(cluster, now)).toList();
        return new ClusterList(
                shown,
                more,
                LIMIT,
                ClusterList.summary(shown.size(), more),
                ConsolePages.iso(now),
                ConsolePages.clock(now),
                createExample());
    }

    /** A working first request for the empty state, against this very server and its newest supported version. */
    private String createExample() {
        String base = uriInfo.getBaseUri().toString().replaceAll("/+$", "");
        List<String> versions = config.clusters().supportedVersions();
        String version = versions.isEmpty() ? "v1.34.2+rke2r1" : versions.getLast();
        return """
                curl -X PUT %s/api/v1/clusters/dev-1 \\
                  -H "Authorization: Bearer $KUBEYARD_TOKEN" \\
                  -H 'Content-Type: application/json' \\
                  -d '{
                    "team": "payments",
                    "kubernetesVersion": "%s",
                    "nodePools": [
                      {"name": "control", "roles": ["etcd", "controlplane"], "quantity": 1,
                       "nodeSpec": {"image": "ubuntu-24.04", "flavor": "m1.large", "network": "private"}},
                      {"name": "workers", "roles": ["worker"], "quantity": 2,
                       "nodeSpec": {"image": "ubuntu-24.04", "flavor": "m1.large", "network": "private"}}
                    ]
                  }'""".formatted(base, version);
    }
}
