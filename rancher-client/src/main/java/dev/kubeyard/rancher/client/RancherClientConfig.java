package dev.kubeyard.rancher.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Rancher. Built with {@link #builder(String, RancherToken)}; every field has a default
 * suited to a control plane talking to a Rancher of a few hundred clusters.
 *
 * @param baseUrl Rancher's URL, for example {@code https://rancher.example.com} (no trailing path)
 * @param token the bearer token; never printed
 * @param namespace the Fleet workspace of provisioning objects, {@code fleet-default} by default
 * @param connectTimeout TCP and TLS connect timeout of one attempt
 * @param readTimeout longest silence while reading an answer
 * @param callTimeout longest time for one attempt, end to end
 * @param readRetries retries of idempotent reads (GET) after a transient failure; writes are never retried
 * @param retryDelay first delay between read retries; it doubles up to {@code retryMaxDelay}, with jitter
 * @param retryMaxDelay longest delay between two read retries
 * @param pageSize items asked for per page when listing; pages are followed to the end
 * @param insecureSkipTlsVerify trust any server certificate (for a lab Rancher only)
 */
public record RancherClientConfig(
        URI baseUrl,
        RancherToken token,
        String namespace,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        int readRetries,
        Duration retryDelay,
        Duration retryMaxDelay,
        int pageSize,
        boolean insecureSkipTlsVerify) {

    public RancherClientConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(namespace, "namespace");
        String scheme = baseUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL, got " + baseUrl);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(callTimeout, "callTimeout");
        requirePositive(retryDelay, "retryDelay");
        requirePositive(retryMaxDelay, "retryMaxDelay");
        if (readRetries < 0) {
            throw new IllegalArgumentException("readRetries must not be negative");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        String text = baseUrl.toString();
        if (text.endsWith("/")) {
            baseUrl = URI.create(text.substring(0, text.length() - 1));
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static Builder builder(String baseUrl, RancherToken token) {
        return new Builder(URI.create(baseUrl), token);
    }

    /** Builder with the defaults. */
    public static final class Builder {
        private final URI baseUrl;
        private final RancherToken token;
        private String namespace = "fleet-default";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int readRetries = 3;
        private Duration retryDelay = Duration.ofMillis(200);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private int pageSize = 500;
        private boolean insecureSkipTlsVerify;

        private Builder(URI baseUrl, RancherToken token) {
            this.baseUrl = baseUrl;
            this.token = token;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        public Builder callTimeout(Duration d) {
            this.callTimeout = d;
            return this;
        }

        public Builder readRetries(int retries) {
            this.readRetries = retries;
            return this;
        }

        public Builder retryDelay(Duration first, Duration max) {
            this.retryDelay = first;
            this.retryMaxDelay = max;
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder insecureSkipTlsVerify(boolean insecure) {
            this.insecureSkipTlsVerify = insecure;
            return this;
        }

        public RancherClientConfig build() {
            return new RancherClientConfig(
                    baseUrl,
                    token,
                    namespace,
                    connectTimeout,
                    readTimeout,
                    callTimeout,
                    readRetries,
                    retryDelay,
                    retryMaxDelay,
                    pageSize,
                    insecureSkipTlsVerify);
        }
    }
}
