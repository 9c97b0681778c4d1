package dev.kubeyard.rancher.sim.downstream;

import java.net.URI;
import java.util.Locale;

/** Where a cluster's API requests go: its in-memory server, or an external kube-apiserver with a bearer token. */
record Target(String host, int port, boolean ssl, String basePath, String bearerToken, boolean inMemory) {

    static Target inMemory(String host, int port) {
        return new Target(host, port, false, "", null, true);
    }

    static Target external(String apiServerUrl, String bearerToken) {
        URI uri;
        try {
            uri = URI.create(apiServerUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an API server URL: " + apiServerUrl, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("API server URL must be http(s)://host[:port][/path]: " + apiServerUrl);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Target(uri.getHost(), port, ssl, path, bearerToken, false);
    }

    /** The request URI on this target for a path below the cluster prefix and a raw query (may be null). */
    String uri(String rest, String query) {
        String path = basePath + rest;
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    @Override
    public String toString() {
        // never print the token
        return (ssl ? "https://" : "http://") + host + ":" + port + basePath;
    }
}
