package dev.kubeyard.rancher.sim.junit;

import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link RancherSim} before all tests of a class and closes it after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static RancherSimExtension sim = RancherSimExtension.withOptions(
 *         SimOptions.defaults().demoClusters(2).timing(SimTiming.fast()));
 * }</pre>
 */
public final class RancherSimExtension implements BeforeAllCallback, AfterAllCallback {

    private final SimOptions options;
    private RancherSim sim;

    private RancherSimExtension(SimOptions options) {
        this.options = options;
    }

    public static RancherSimExtension withOptions(SimOptions options) {
        return new RancherSimExtension(options);
    }

    /** Fast timing, an ephemeral port and no demo clusters. */
    public static RancherSimExtension withDefaults() {
        return new RancherSimExtension(SimOptions.defaults().timing(SimTiming.fast()));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (sim == null) {
            sim = RancherSim.start(options);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }

    /** The running simulator; only between before-all and after-all. */
    public RancherSim sim() {
        if (sim == null) {
            throw new IllegalStateException("rancher-sim is not running: register the extension as a static field");
        }
        return sim;
    }

    /** Shortcut for {@code sim().url()}. */
    public String url() {
        return sim().url();
    }
}
