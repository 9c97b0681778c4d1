package dev.kubeyard.platform.testing;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Rancher of the tests: rancher-sim over real HTTP with fast timing (a cluster is Ready in well under a second), so
 * that the application talks to it through the same client as to a real Rancher. Use it with {@code
 * @WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
 * @WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)} next to {@link
 * EmbeddedPostgresResource}; tests reach the simulator (faults, admin API) through {@link #sim()}.
 */
public class RancherSimResource implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "token-tests:kubeyard-test-secret";

    private static volatile RancherSim sim;
    private static RancherClient client;

    @Override
    public Map<String, String> start() {
        sim = RancherSim.start(
                SimOptions.defaults().port(0).demoClusters(0).token(TOKEN).timing(SimTiming.fast()));
        return Map.of("kubeyard.platform.rancher.url", sim.url(), "kubeyard.platform.rancher.token", TOKEN);
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** A Rancher client of the test's own, to look at what the application did in Rancher. */
    public static synchronized RancherClient client() {
        if (client == null) {
            client = RancherClient.create(RancherClientConfig.builder(sim().url(), RancherToken.of(TOKEN))
                    .build());
        }
        return client;
    }

    /** The running simulator. */
    public static RancherSim sim() {
        if (sim == null) {
            throw new IllegalStateException("RancherSimResource is not started: add it to the test class");
        }
        return sim;
    }
}
