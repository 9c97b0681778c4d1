package dev.kubeyard.rancher.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.api.ApiError;
import dev.kubeyard.rancher.sim.api.ApiRequest;
import dev.kubeyard.rancher.sim.api.ApiResponse;
import dev.kubeyard.rancher.sim.api.AuthFilter;
import dev.kubeyard.rancher.sim.api.ClusterProxy;
import dev.kubeyard.rancher.sim.api.HttpAdapter;
import dev.kubeyard.rancher.sim.api.Json;
import dev.kubeyard.rancher.sim.api.NormanApi;
import dev.kubeyard.rancher.sim.api.PublicApi;
import dev.kubeyard.rancher.sim.api.Releases;
import dev.kubeyard.rancher.sim.api.SteveApi;
import dev.kubeyard.rancher.sim.downstream.DownstreamApis;
import dev.kubeyard.rancher.sim.faults.AdminApi;
import dev.kubeyard.rancher.sim.faults.FaultInjector;
import dev.kubeyard.rancher.sim.store.RegistrationTokenObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The HTTP routes of the simulator, in the order Rancher's own filters apply. */
final class SimRouter {

    private SimRouter() {}

    static Router build(Vertx vertx, SimCore core, DownstreamApis downstream, Supplier<String> url) {
        SteveApi steve = new SteveApi(core.store(), core.lifecycle());
        NormanApi norman = new NormanApi(core.store(), core::timing);
        Router router = Router.router(vertx);

        router.route().handler(new FaultInjector(vertx, core.faultState()));
        new AdminApi(core).mount(router);

        router.get("/ping").handler(ctx -> HttpAdapter.write(ctx, ApiResponse.text(200, "pong")));
        router.get("/v1-rke2-release/releases")
                .handler(ctx -> HttpAdapter.write(
                        ctx, ApiResponse.json(200, Releases.collection(HttpAdapter.base(ctx, url.get())))));
        router.get("/v3/import/:file").handler(ctx -> {
            String file = ctx.pathParam("file");
            String manifest = core.locked(() -> importManifest(core, file));
            HttpAdapter.write(
                    ctx,
                    manifest == null
                            ? ApiResponse.text(404, "404 page not found")
                            : new ApiResponse(
                                    200, "application/yaml", manifest.getBytes(StandardCharsets.UTF_8), null));
        });

        PublicApi publicApi = new PublicApi(core.store());
        router.post("/v1-public/login").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        router.post("/v1-public/login").handler(ctx -> {
            ApiRequest request = HttpAdapter.request(ctx, "/v1-public", url.get());
            offLoop(vertx, ctx, HttpAdapter.Shape.NORMAN, () -> core.locked(() -> publicApi.login(request)));
        });

        router.routeWithRegex("^/(v1|v3|k8s|apis|api)(/.*)?$")
                .handler(new AuthFilter(core, core.store(), core.options().token()));
        router.routeWithRegex("^/(v1|v3)(/.*)?$")
                .handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        router.routeWithRegex("^/v1(/.*)?$").handler(ctx -> {
            ApiRequest request = HttpAdapter.request(ctx, "/v1", url.get());
            offLoop(vertx, ctx, HttpAdapter.Shape.STEVE, () -> core.locked(() -> steve.handle(request)));
        });
        router.routeWithRegex("^/v3(/.*)?$").handler(ctx -> {
            ApiRequest request = HttpAdapter.request(ctx, "/v3", url.get());
            offLoop(vertx, ctx, HttpAdapter.Shape.NORMAN, () -> core.locked(() -> norman.handle(request)));
        });
        router.routeWithRegex("^/k8s/(clusters|proxy)/.+$").handler(new ClusterProxy(core, core.store(), downstream));
        router.routeWithRegex("^/(apis|api)(/.*)?$").handler(ctx -> {
            ObjectNode status = Json.object();
            status.put("kind", "Status");
            status.put("apiVersion", "v1");
            status.putObject("metadata");
            status.put("status", "Failure");
            status.put("message", "the server could not find the requested resource");
            status.put("reason", "NotFound");
            status.putObject("details");
            status.put("code", 404);
            HttpAdapter.write(ctx, ApiResponse.json(404, status));
        });
        router.route().last().handler(ctx -> HttpAdapter.write(ctx, ApiResponse.text(404, "404 page not found")));
        return router;
    }

    /**
     * Answers an API call on a worker thread: rendering a large list under the store lock must not hold up the
     * event loops that carry the downstream proxy traffic and the timers.
     */
    private static void offLoop(Vertx vertx, RoutingContext ctx, HttpAdapter.Shape shape, Supplier<ApiResponse> call) {
        String what = ctx.request().method() + " " + ctx.request().path();
        vertx.executeBlocking(() -> HttpAdapter.answer(shape, what, call), false)
                .onComplete(done -> HttpAdapter.write(
                        ctx,
                        done.succeeded()
                                ? done.result()
                                : HttpAdapter.error(shape, ApiError.of(500, "ServerError", "request failed"))));
    }

    /** {@code /v3/import/<token>_<mgmtId>.yaml}: a stand-in for the cattle-cluster-agent manifest. */
    private static String importManifest(SimCore core, String file) {
        if (!file.endsWith(".yaml") || file.indexOf('_') < 0) {
            return null;
        }
        String stem = file.substring(0, file.length() - ".yaml".length());
        String token = stem.substring(0, stem.lastIndexOf('_'));
        String clusterId = stem.substring(stem.lastIndexOf('_') + 1);
        for (RegistrationTokenObject t : core.store().registrationTokens.values()) {
            if (t.clusterId().equals(clusterId) && t.token().equals(token)) {
                return "# rancher-sim: stand-in for the cattle-cluster-agent manifest of " + clusterId + "\n"
                        + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cattle-system\n";
            }
        }
        return null;
    }
}
