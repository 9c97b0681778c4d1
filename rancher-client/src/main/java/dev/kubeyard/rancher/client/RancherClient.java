package dev.kubeyard.rancher.client;

import dev.kubeyard.rancher.client.access.Kubeconfigs;
import dev.kubeyard.rancher.client.access.RegistrationTokens;
import dev.kubeyard.rancher.client.access.Tokens;
import dev.kubeyard.rancher.client.identity.ClusterRoleTemplateBindings;
import dev.kubeyard.rancher.client.identity.UserTokens;
import dev.kubeyard.rancher.client.identity.Users;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.machine.Machines;
import dev.kubeyard.rancher.client.machineconfig.MachineConfigs;
import dev.kubeyard.rancher.client.provisioning.ProvisioningClusters;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;

/**
 * Everything Kubeyard needs from one Rancher installation. Thread-safe; one instance per Rancher, shared
 * by all callers (it holds one connection pool). Close it when done.
 *
 * <pre>{@code
 * try (RancherClient rancher = RancherClient.create(RancherClientConfig.builder(url, RancherToken.of(t)).build())) {
 *     rancher.clusters().list();
 * }
 * }</pre>
 */
public final class RancherClient implements AutoCloseable {

    private final RancherHttp http;
    private final ProvisioningClusters clusters;
    private final Machines machines;
    private final MachineConfigs machineConfigs;
    private final Kubeconfigs kubeconfigs;
    private final RegistrationTokens registrationTokens;
    private final Tokens tokens;
    private final Users users;
    private final ClusterRoleTemplateBindings clusterRoleBindings;
    private final UserTokens userTokens;

    private RancherClient(RancherClientConfig config) {
        this.http = new RancherHttp(config);
        this.clusters = new ProvisioningClusters(http);
        this.machines = new Machines(http);
        this.machineConfigs = new MachineConfigs(http);
        this.kubeconfigs = new Kubeconfigs(http);
        this.registrationTokens = new RegistrationTokens(http);
        this.tokens = new Tokens(http);
        this.users = new Users(http);
        this.clusterRoleBindings = new ClusterRoleTemplateBindings(http);
        this.userTokens = new UserTokens(http, users);
    }

    public static RancherClient create(RancherClientConfig config) {
        return new RancherClient(config);
    }

    public RancherClientConfig config() {
        return http.config();
    }

    /** Provisioning clusters, their pools and their day-2 operations. */
    public ProvisioningClusters clusters() {
        return clusters;
    }

    /** Cluster API machines (nodes as Rancher provisions them). */
    public Machines machines() {
        return machines;
    }

    /** Node specifications (OpenstackConfig and other kinds). */
    public MachineConfigs machineConfigs() {
        return machineConfigs;
    }

    /** v3 generateKubeconfig. */
    public Kubeconfigs kubeconfigs() {
        return kubeconfigs;
    }

    /** v3 cluster registration tokens (joining a user's own servers as workers). */
    public RegistrationTokens registrationTokens() {
        return registrationTokens;
    }

    /** v3 API tokens. */
    public Tokens tokens() {
        return tokens;
    }

    /** Rancher users: one per platform user that gets a kubeconfig. */
    public Users users() {
        return users;
    }

    /** Users' (and groups') role templates on clusters. */
    public ClusterRoleTemplateBindings clusterRoleBindings() {
        return clusterRoleBindings;
    }

    /** Cluster-scoped tokens of other users, and kubeconfigs that carry them. */
    public UserTokens userTokens() {
        return userTokens;
    }

    /**
     * A fabric8 configuration for one cluster's Kubernetes API through Rancher's proxy ({@code
     * /k8s/clusters/<id>}), authenticated with this client's token. Built from an empty configuration: no
     * local kubeconfig or environment leaks in. Timeouts and retries follow this client's configuration, so
     * that a dead cluster costs a bounded time.
     *
     * @param clusterId the management id ({@code c-m-...}), not the provisioning cluster's name
     */
    public Config kubernetesConfig(String clusterId) {
        if (clusterId == null || clusterId.isBlank() || clusterId.contains("/")) {
            throw new IllegalArgumentException("a management cluster id such as c-m-abcd1234 is required");
        }
        RancherClientConfig c = http.config();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(c.baseUrl() + "/k8s/clusters/" + clusterId)
                .withOauthToken(c.token().reveal())
                .withTrustCerts(c.insecureSkipTlsVerify())
                .withDisableHostnameVerification(c.insecureSkipTlsVerify())
                .withConnectionTimeout((int) c.connectTimeout().toMillis())
                .withRequestTimeout((int) c.readTimeout().toMillis())
                // fabric8 retries 5xx and I/O failures ten times with doubling delays by default: about
                // 20 s lost per call on a cluster whose agent is down. Use this client's read budget.
                .withRequestRetryBackoffLimit(c.readRetries())
                .withRequestRetryBackoffInterval((int) c.retryDelay().toMillis())
                .build();
    }

    @Override
    public void close() {
        http.close();
    }
}
