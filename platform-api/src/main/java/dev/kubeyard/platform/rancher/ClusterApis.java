package dev.kubeyard.platform.rancher;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.rancher.client.RancherClient;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Rancher client and the managed clusters' Kubernetes clients as beans, for the modules that take them by
 * injection (node pool healing). The clusters' clients reach each API through Rancher's proxy with the client's
 * timeouts and retry budget, and share the application's Vert.x: no threads per cluster.
 */
@Singleton
public class ClusterApis {

    @Produces
    @Singleton
    RancherClient rancherClient(RancherConnection connection) {
        return connection.client();
    }

    @Produces
    @Singleton
    ClusterClients clusterClients(RancherConnection connection, Vertx vertx) {
        return new ClusterClients(connection.client()::kubernetesConfig, vertx);
    }

    void close(@Disposes ClusterClients clients) {
        clients.close();
    }
}
