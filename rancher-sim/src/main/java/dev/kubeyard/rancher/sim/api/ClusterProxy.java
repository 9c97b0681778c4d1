package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.downstream.DownstreamApis;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /k8s/clusters/<mgmtId>/...} (and the alias {@code /k8s/proxy/<mgmtId>/...}): Rancher's cluster router
 * in front of each downstream API (rancher-api.md §4). Answers the router's own errors (a user not bound to the
 * cluster is told it does not exist), then hands the request
 * to the downstream APIs untouched (body unread, upgrades possible).
 */
public final class ClusterProxy implements Handler<RoutingContext> {

    private final Transactor transactor;
    private final SimStore store;
    private final DownstreamApis downstream;

    public ClusterProxy(Transactor transactor, SimStore store, DownstreamApis downstream) {
        this.transactor = transactor;
        this.store = store;
        this.downstream = downstream;
    }

    private enum Verdict {
        UNKNOWN,
        UNAVAILABLE,
        DISCONNECTED,
        UNREACHABLE,
        PROXY
    }

    private record Decision(Verdict verdict, String address) {}

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        String afterPrefix = path.substring("/k8s/".length());
        int slash = afterPrefix.indexOf('/');
        String rest = slash < 0 ? "" : afterPrefix.substring(slash + 1);
        int idEnd = rest.indexOf('/');
        String id = Urls.decode(idEnd < 0 ? rest : rest.substring(0, idEnd));
        String downstreamPath = idEnd < 0 ? "/" : rest.substring(idEnd);
        Caller caller = ctx.get(Caller.KEY);
        Decision decision = transactor.locked(() -> decide(id, caller == null ? Caller.ADMIN : caller));
        switch (decision.verdict()) {
            case UNKNOWN -> routerError(ctx, 404, "NotFound", "failed to find cluster");
            case UNAVAILABLE -> routerError(ctx, 503, "ClusterUnavailable", "cluster not ready");
            case DISCONNECTED -> text(ctx, 500, "cluster agent disconnected");
            case UNREACHABLE -> text(ctx, 502, "dial tcp " + decision.address() + ":6443: connect: connection refused");
            case PROXY -> downstream.proxy(id, downstreamPath, ctx);
        }
    }

    private Decision decide(String id, Caller caller) {
        ClusterObject c = store.clustersByManagementId.get(id);
        // The router's lookup checks that the caller may get the cluster (pkg/k8slookup): a user without a
        // binding on it gets the same answer as for a cluster that does not exist.
        boolean visible = caller.admin() || store.boundToCluster(caller.userId(), id);
        if (c == null || id.isEmpty() || !visible) {
            return new Decision(Verdict.UNKNOWN, null);
        }
        if (!c.apiUp()) {
            return new Decision(Verdict.UNAVAILABLE, null);
        }
        if (c.agentDisconnected) {
            return new Decision(Verdict.DISCONNECTED, null);
        }
        if (c.apiUnreachable) {
            return new Decision(Verdict.UNREACHABLE, Renderer.firstControlPlaneAddress(c));
        }
        return new Decision(Verdict.PROXY, null);
    }

    /** The cluster router's odd error body: a Go struct encoded as JSON. */
    private static void routerError(RoutingContext ctx, int status, String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode c = body.putObject("Code");
        c.put("Code", code);
        c.put("Status", status);
        body.put("Message", message);
        body.putNull("Cause");
        body.put("FieldName", "");
        HttpAdapter.write(ctx, ApiResponse.json(status, body));
    }

    private static void text(RoutingContext ctx, int status, String message) {
        HttpAdapter.write(ctx, ApiResponse.text(status, message));
    }
}
