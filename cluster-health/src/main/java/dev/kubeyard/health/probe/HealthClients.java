package dev.kubeyard.health.probe;

import dev.kubeyard.inventory.kube.ClusterClients;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Function;

/**
 * The clients the health checks use: the inventory's per-cluster clients (one shared HTTP client factory and event
 * loop, no thread per cluster), with the call timeout as request timeout and no retries, so that a dead cluster costs
 * one timeout per call and is reported by the sweep that saw it.
 */
public final class HealthClients {

    private HealthClients() {}

    public static ClusterClients create(Function<String, Config> base, Duration callTimeout, Vertx vertx) {
        int millis = (int) callTimeout.toMillis();
        return new ClusterClients(
                id -> new ConfigBuilder(base.apply(id))
                        .withRequestTimeout(millis)
                        .withConnectionTimeout(millis)
                        .withRequestRetryBackoffLimit(0)
                        .build(),
                vertx);
    }
}
