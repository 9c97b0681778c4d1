package dev.kubeyard.rancher.sim.faults;

import dev.kubeyard.rancher.sim.api.ApiError;
import dev.kubeyard.rancher.sim.api.HttpAdapter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request outside {@code /_sim}: applies injected latency, then injected errors (an
 * answer in the API's error shape, or a connection reset).
 */
public final class FaultInjector implements Handler<RoutingContext> {

    private final Vertx vertx;
    private final FaultState faults;

    public FaultInjector(Vertx vertx, FaultState faults) {
        this.vertx = vertx;
        this.faults = faults;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path.startsWith("/_sim")) {
            ctx.next();
            return;
        }
        long delay = faults.latencyFor(path);
        if (delay > 0) {
            ctx.request().pause();
            vertx.setTimer(delay, id -> {
                ctx.request().resume();
                injectErrors(ctx, path);
            });
        } else {
            injectErrors(ctx, path);
        }
    }

    private void injectErrors(RoutingContext ctx, String path) {
        FaultState.ErrorRule rule = faults.errorFor(path);
        if (rule == null) {
            ctx.next();
            return;
        }
        if (rule.reset()) {
            ctx.request().connection().close();
            return;
        }
        HttpAdapter.write(
                ctx,
                HttpAdapter.error(
                        HttpAdapter.shapeFor(path),
                        ApiError.of(rule.status(), ApiError.codeFor(rule.status()), message(rule.status()))));
    }

    private static String message(int status) {
        return switch (status) {
            case 429 -> "the server has received too many requests and has asked us to try again later";
            case 502, 503, 504 -> "the server is currently unable to handle the request";
            default -> "an error on the server (\"injected by rancher-sim\") has prevented the request from succeeding";
        };
    }
}
