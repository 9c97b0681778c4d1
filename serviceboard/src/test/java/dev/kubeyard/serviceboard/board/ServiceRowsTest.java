package dev.kubeyard.serviceboard.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.serviceboard.board.Facts.EndpointSliceFacts;
import dev.kubeyard.serviceboard.board.Facts.IngressFacts;
import dev.kubeyard.serviceboard.board.Facts.PodFacts;
import dev.kubeyard.serviceboard.board.Facts.Port;
import dev.kubeyard.serviceboard.board.Facts.Route;
import dev.kubeyard.serviceboard.board.Facts.ServiceFacts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceRowsTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final ServiceFacts WEB = new ServiceFacts(
            "shop",
            "web",
            "LoadBalancer",
            "10.43.0.10",
            List.of(new Port("http", "TCP", 80, "8080", 30080)),
            Map.of("app", "web"),
            Map.of("team", "shop"),
            List.of("203.0.113.7"),
            Optional.empty());

    static PodFacts pod(String ns, String name, Map<String, String> labels, String image, boolean ready) {
        return new PodFacts(ns, name, labels, "Running", ready, false, List.of(image), 0, Optional.empty());
    }

    @Test
    void aRowTakesOnlyTheSelectedPodsOfItsNamespaceAndTheirDistinctImages() {
        List<PodFacts> pods = List.of(
                pod("shop", "web-1", Map.of("app", "web"), "shop/web:1.4.2", true),
                pod("shop", "web-2", Map.of("app", "web", "pod-template-hash", "x"), "shop/web:1.4.3", false),
                pod("shop", "web-3", Map.of("app", "web"), "shop/web:1.4.2", true),
                pod("shop", "db-1", Map.of("app", "db"), "postgres:17", true),
                pod("other", "web-9", Map.of("app", "web"), "evil:0", true));

        ServiceRow row = ServiceRows.build(
                "eu-1",
                WEB,
                pods,
                List.of(new EndpointSliceFacts("shop", "web", 2, 1)),
                List.of(),
                Optional.empty(),
                NOW);

        assertThat(row.images()).containsExactly("shop/web:1.4.2", "shop/web:1.4.3");
        assertThat(row.pods().total()).isEqualTo(3);
        assertThat(row.pods().ready()).isEqualTo(2);
        assertThat(row.pods().running()).isEqualTo(3);
        assertThat(row.readyEndpoints()).isEqualTo(2);
        assertThat(row.notReadyEndpoints()).isEqualTo(1);
        assertThat(row.status()).isEqualTo(ServiceStatus.DEGRADED);
        assertThat(row.loadBalancerAddresses()).containsExactly("203.0.113.7");
        assertThat(row.ports()).extracting(Port::nodePort).containsExactly(30080);
        assertThat(row.labels()).containsEntry("team", "shop");
    }

    @Test
    void ingressHostsAndAddressesComeFromTheRoutesToThisServiceOnly() {
        List<IngressFacts> ingresses = List.of(
                new IngressFacts(
                        "shop",
                        "public",
                        List.of(
                                new Route("shop.example.com", "/", "web"),
                                new Route("api.example.com", "/", "api"),
                                new Route("www.example.com", "/", "web"),
                                new Route("", "/", "web")),
                        List.of("198.51.100.4")),
                new IngressFacts(
                        "shop", "internal", List.of(new Route("api.internal", "/", "api")), List.of("10.0.0.9")),
                new IngressFacts(
                        "other", "x", List.of(new Route("other.example.com", "/", "web")), List.of("1.2.3.4")));

        ServiceRow row = ServiceRows.build("eu-1", WEB, List.of(), List.of(), ingresses, Optional.empty(), NOW);

        assertThat(row.ingressHosts()).containsExactly("shop.example.com", "www.example.com");
        assertThat(row.ingressAddresses()).containsExactly("198.51.100.4");
    }

    @Test
    void twoRowsThatDifferOnlyInTheirTimeAreTheSameForTheBoard() {
        ServiceRow a = ServiceRows.build("eu-1", WEB, List.of(), List.of(), List.of(), Optional.empty(), NOW);
        ServiceRow b =
                ServiceRows.build("eu-1", WEB, List.of(), List.of(), List.of(), Optional.empty(), NOW.plusSeconds(30));
        ServiceRow c = ServiceRows.build(
                "eu-1",
                WEB,
                List.of(pod("shop", "web-1", Map.of("app", "web"), "shop/web:2", true)),
                List.of(),
                List.of(),
                Optional.empty(),
                NOW);
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.sameAs(c)).isFalse();
    }
}
