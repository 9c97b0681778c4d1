package dev.kubeyard.platform.rancher;

import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.sandbox.SandboxRancher;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The one Rancher client of the application. With {@code kubeyard.platform.rancher.url} set it talks to that Rancher;
 * without one, and with the sandbox allowed, to a simulator started in-process ({@link SandboxRancher}). Either way
 * the same client code runs. The token never reaches a log line.
 */
@Singleton
@Startup
public class RancherConnection {

    private static final Logger LOG = Logger.getLogger(RancherConnection.class);

    private final RancherClient client;
    private final SandboxRancher sandbox;
    private final String url;

    RancherConnection(PlatformConfig config) {
        PlatformConfig.Rancher rancher = config.rancher();
        String configuredUrl = rancher.url().filter(u -> !u.isBlank()).orElse(null);
        if (configuredUrl == null) {
            if (!config.sandbox().enabled()) {
                throw new IllegalStateException("No Rancher configured: set KUBEYARD_RANCHER_URL and"
                        + " KUBEYARD_RANCHER_TOKEN (kubeyard.platform.rancher.url/token), or allow the sandbox"
                        + " with kubeyard.platform.sandbox.enabled=true");
            }
            sandbox = SandboxRancher.start();
            url = sandbox.url();
            LOG.warnf(
                    "SANDBOX MODE: no Rancher configured, simulating one in-process at %s. Clusters created here"
                            + " are not real. Set KUBEYARD_RANCHER_URL and KUBEYARD_RANCHER_TOKEN for a real Rancher.",
                    url);
            client = create(url, sandbox.token(), rancher);
        } else {
            String token = rancher.token()
                    .filter(t -> !t.isBlank())
                    .orElseThrow(() -> new IllegalStateException(
                            "KUBEYARD_RANCHER_URL is set but KUBEYARD_RANCHER_TOKEN (kubeyard.platform.rancher.token)"
                                    + " is not"));
            sandbox = null;
            url = configuredUrl;
            client = create(url, token, rancher);
            LOG.infof("Using Rancher at %s", url);
        }
    }

    private static RancherClient create(String url, String token, PlatformConfig.Rancher rancher) {
        return RancherClient.create(RancherClientConfig.builder(url, RancherToken.of(token))
                .namespace(rancher.namespace())
                .callTimeout(Duration.ofSeconds(rancher.callTimeoutSeconds()))
                .readRetries(rancher.readRetries())
                .build());
    }

    public RancherClient client() {
        return client;
    }

    /** Whether Rancher is the in-process simulator: the console and the log say so. */
    public boolean sandbox() {
        return sandbox != null;
    }

    /** Rancher's base URL (never with credentials). */
    public String url() {
        return url;
    }

    void stop(@Observes ShutdownEvent event) {
        client.close();
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
