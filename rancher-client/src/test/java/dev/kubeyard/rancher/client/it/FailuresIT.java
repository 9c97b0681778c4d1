package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherServerException;
import dev.kubeyard.rancher.client.RancherTransportException;
import dev.kubeyard.rancher.client.RancherUnauthorizedException;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each error class the client distinguishes, produced by the simulator over real HTTP. */
class FailuresIT {

    @RegisterExtension
    static final RancherSimExtension SIM = RancherSimExtension.withOptions(SimOptions.defaults()
            .timing(SimTiming.fast())
            .token(SimSupport.TOKEN)
            .demoClusters(1));

    @AfterEach
    void clearFaults() {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":0}");
        SimSupport.admin(SIM.sim().url(), "/_sim/latency", "{\"millis\":0}");
    }

    @Test
    void wrongTokenIsUnauthorizedInRancherShape() {
        try (RancherClient wrong = SimSupport.client(SIM.sim().url(), "token-other:notthesecret", 3)) {
            assertThatThrownBy(() -> wrong.clusters().list())
                    .isInstanceOfSatisfying(RancherUnauthorizedException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.rancherMessage()).contains("must authenticate");
                    });
        }
    }

    @Test
    void readsRideOutAShareOfServerErrors() {
        SimSupport.admin(
                SIM.sim().url(), "/_sim/errors", "{\"rate\":0.3,\"status\":503,\"seed\":7,\"pathPrefix\":\"/v1\"}");
        try (RancherClient rancher = SimSupport.client(SIM.sim().url(), SimSupport.TOKEN, 8)) {
            for (int i = 0; i < 20; i++) {
                assertThat(rancher.clusters().list()).isNotEmpty();
            }
        }
    }

    @Test
    void persistentServerErrorsReachTheCallerAsServerErrors() {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":1.0,\"status\":500,\"pathPrefix\":\"/v1\"}");
        try (RancherClient rancher = SimSupport.client(SIM.sim().url())) {
            assertThatThrownBy(() -> rancher.clusters().list()).isInstanceOf(RancherServerException.class);
            assertThatThrownBy(() -> SimSupport.createCluster(rancher, "never", 1, 1, 1, Map.of()))
                    .isInstanceOf(RancherServerException.class);
        }
    }

    @Test
    void resetConnectionsAreTransportFailures() {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":1.0,\"mode\":\"reset\",\"pathPrefix\":\"/v1\"}");
        try (RancherClient rancher = SimSupport.client(SIM.sim().url(), SimSupport.TOKEN, 1)) {
            assertThatThrownBy(() -> rancher.clusters().list())
                    .isInstanceOfSatisfying(RancherTransportException.class, e -> assertThat(e.timedOut())
                            .isFalse());
        }
    }

    @Test
    void slowRancherEndsInATimeoutNotAHang() {
        SimSupport.admin(SIM.sim().url(), "/_sim/latency", "{\"millis\":3000,\"pathPrefix\":\"/v1\"}");
        try (RancherClient rancher = dev.kubeyard.rancher.client.RancherClient.create(
                dev.kubeyard.rancher.client.RancherClientConfig.builder(
                                SIM.sim().url(), dev.kubeyard.rancher.client.RancherToken.of(SimSupport.TOKEN))
                        .readRetries(0)
                        .callTimeout(java.time.Duration.ofMillis(500))
                        .build())) {
            assertThatThrownBy(() -> rancher.clusters().list())
                    .isInstanceOfSatisfying(RancherTransportException.class, e -> assertThat(e.timedOut())
                            .isTrue());
        }
    }
}
