package dev.kubeyard.platform.sandbox;

import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import java.util.UUID;

/**
 * The in-process Rancher of sandbox mode: rancher-sim on a free loopback port with realistic timing (a cluster is
 * Ready in about 15 s) and a token made up for this run. The only class outside the tests that touches the simulator
 * (ArchitectureTest keeps it so).
 */
public final class SandboxRancher implements AutoCloseable {

    private static final String TOKEN_NAME = "token-sandbox";

    private final RancherSim sim;
    private final String token;

    private SandboxRancher(RancherSim sim, String token) {
        this.sim = sim;
        this.token = token;
    }

    public static SandboxRancher start() {
        String token = TOKEN_NAME + ":" + UUID.randomUUID().toString().replace("-", "");
        RancherSim sim = RancherSim.start(
                SimOptions.defaults().port(0).demoClusters(0).token(token).timing(SimTiming.realistic()));
        return new SandboxRancher(sim, token);
    }

    public String url() {
        return sim.url();
    }

    public String token() {
        return token;
    }

    @Override
    public void close() {
        sim.close();
    }
}
