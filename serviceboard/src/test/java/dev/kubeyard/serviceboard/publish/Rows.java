package dev.kubeyard.serviceboard.publish;

import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Board rows for the publisher's tests. */
final class Rows {

    private Rows() {}

    /** A row with every field set (two ports, one with a node port, hosts, addresses, images, labels). */
    static ServiceRow full(String cluster, String namespace, String name, ServiceStatus status, Instant at) {
        return new ServiceRow(
                cluster,
                namespace,
                name,
                "LoadBalancer",
                "10.43.0.17",
                List.of(
                        new Facts.Port("http", "TCP", 80, "8080", 30080),
                        new Facts.Port("metrics", "TCP", 9090, "metrics", null)),
                List.of("shop.example.com"),
                List.of("192.0.2.10"),
                List.of("198.51.100.7"),
                List.of("registry.example.com/shop:1.4.2"),
                new ServiceRow.PodCounts(3, 2, 1, 0, 0, 0, 2),
                2,
                1,
                status,
                "2 of 3 pods ready: ImagePullBackOff in 1.",
                Map.of("app", "shop", "tier", "web"),
                at);
    }

    /** A row with what an ExternalName service has: no cluster IP, no ports, no pods. */
    static ServiceRow bare(String cluster, String namespace, String name, Instant at) {
        return new ServiceRow(
                cluster,
                namespace,
                name,
                "ExternalName",
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                ServiceRow.PodCounts.NONE,
                0,
                0,
                ServiceStatus.HEALTHY,
                "ExternalName db.example.com: nothing runs behind it.",
                Map.of(),
                at);
    }
}
