package dev.kubeyard.rancher.sim;

import java.util.Objects;
import java.util.Optional;

/**
 * Immutable start options of a {@link RancherSim}; every "setter" returns a changed copy.
 *
 * <pre>{@code
 * SimOptions.defaults().port(0).demoClusters(3).timing(SimTiming.fast())
 * }</pre>
 */
public final class SimOptions {

    private final int port;
    private final String host;
    private final int demoClusters;
    private final DemoPools demoPools;
    private final String token;
    private final SimTiming timing;
    private final long seed;

    /** Machine counts of the three pools of every demo cluster. */
    public record DemoPools(int etcd, int controlPlane, int workers) {
        public DemoPools {
            if (etcd < 1 || controlPlane < 1 || workers < 0) {
                throw new IllegalArgumentException("demo pools need at least one etcd and one control-plane machine: "
                        + etcd + "/" + controlPlane + "/" + workers);
            }
        }
    }

    private SimOptions(
            int port, String host, int demoClusters, DemoPools demoPools, String token, SimTiming timing, long seed) {
        this.port = port;
        this.host = host;
        this.demoClusters = demoClusters;
        this.demoPools = demoPools;
        this.token = token;
        this.timing = timing;
        this.seed = seed;
    }

    /**
     * Ephemeral port on 127.0.0.1, no demo clusters, any well-formed token accepted, realistic timing,
     * random identifiers.
     */
    public static SimOptions defaults() {
        return new SimOptions(0, "127.0.0.1", 0, null, null, SimTiming.realistic(), 0);
    }

    /** Port to listen on; 0 picks a free one. */
    public SimOptions port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new SimOptions(port, host, demoClusters, demoPools, token, timing, seed);
    }

    /** Interface to bind; also the host name used in links when a request carries no Host header. */
    public SimOptions host(String host) {
        return new SimOptions(port, Objects.requireNonNull(host), demoClusters, demoPools, token, timing, seed);
    }

    /** Clusters {@code demo-001}... created Ready at start-up and after each {@code /_sim/reset}. */
    public SimOptions demoClusters(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("demoClusters must not be negative: " + count);
        }
        return new SimOptions(port, host, count, demoPools, token, timing, seed);
    }

    /**
     * Fixed pool sizes for every demo cluster. Without it, demo clusters alternate between one and three
     * etcd machines, with one control-plane machine and two workers.
     */
    public SimOptions demoPools(int etcd, int controlPlane, int workers) {
        return new SimOptions(
                port, host, demoClusters, new DemoPools(etcd, controlPlane, workers), token, timing, seed);
    }

    /**
     * Accept only this API token ({@code name:secret}) plus the tokens the simulator mints itself. Without
     * it any well-formed bearer token is accepted.
     */
    public SimOptions token(String nameColonSecret) {
        if (nameColonSecret != null) {
            int colon = nameColonSecret.indexOf(':');
            if (colon < 1 || colon == nameColonSecret.length() - 1) {
                throw new IllegalArgumentException("token must look like name:secret");
            }
        }
        return new SimOptions(port, host, demoClusters, demoPools, nameColonSecret, timing, seed);
    }

    public SimOptions timing(SimTiming timing) {
        return new SimOptions(port, host, demoClusters, demoPools, token, Objects.requireNonNull(timing), seed);
    }

    /** Seed of the identifier generator (management ids, machine names, tokens); 0 means random. */
    public SimOptions seed(long seed) {
        return new SimOptions(port, host, demoClusters, demoPools, token, timing, seed);
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public int demoClusters() {
        return demoClusters;
    }

    public Optional<DemoPools> demoPools() {
        return Optional.ofNullable(demoPools);
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    public SimTiming timing() {
        return timing;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "SimOptions[port=" + port + ", host=" + host + ", demoClusters=" + demoClusters + ", demoPools="
                + demoPools + ", token=" + (token == null ? "any" : "fixed") + ", timing=" + timing + "]";
    }
}
