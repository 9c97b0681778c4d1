package dev.kubeyard.rancher.client.access;

import dev.kubeyard.rancher.client.internal.NormanLists;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** v3 cluster registration tokens ({@code /v3/clusterregistrationtokens}). */
public final class RegistrationTokens {

    private static final String PATH = "/v3/clusterregistrationtokens";

    private final RancherHttp http;

    public RegistrationTokens(RancherHttp http) {
        this.http = http;
    }

    /** The cluster's {@code default-token}, as it is now (its commands may still be empty). */
    public RegistrationToken defaultToken(String clusterId) {
        return get(clusterId + ":default-token");
    }

    public RegistrationToken get(String id) {
        var url = http.url(PATH).newBuilder().addPathSegment(id).build();
        return Resources.read(http.getJson(url), RegistrationToken.class);
    }

    /** The tokens of a cluster, all pages. */
    public List<RegistrationToken> list(String clusterId) {
        return NormanLists.listAll(
                http,
                http.url(PATH)
                        .newBuilder()
                        .addQueryParameter("clusterId", clusterId)
                        .build(),
                RegistrationToken.class);
    }

    public RegistrationToken create(String clusterId) {
        Map<String, Object> body = Map.of("type", "clusterRegistrationToken", "clusterId", clusterId);
        return Resources.read(http.send("POST", http.url(PATH), body, RancherHttp.JSON), RegistrationToken.class);
    }

    /**
     * Reads the cluster's default token until Rancher has filled in its node command.
     *
     * @throws IllegalStateException when it is still empty after {@code patience}
     */
    public RegistrationToken awaitDefaultToken(String clusterId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pauseMillis = 100;
        while (true) {
            RegistrationToken token = defaultToken(clusterId);
            if (token.isReady()) {
                return token;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Rancher did not fill in the registration command of " + clusterId + " within " + patience);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registration token", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 2000);
        }
    }
}
