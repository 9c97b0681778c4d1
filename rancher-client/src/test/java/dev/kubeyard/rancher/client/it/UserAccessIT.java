package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherForbiddenException;
import dev.kubeyard.rancher.client.RancherInvalidRequestException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.access.Kubeconfig;
import dev.kubeyard.rancher.client.identity.ClusterRoleTemplateBinding;
import dev.kubeyard.rancher.client.identity.ExtToken;
import dev.kubeyard.rancher.client.identity.RancherUser;
import dev.kubeyard.rancher.client.identity.UserToken;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A platform user's kubeconfig issued through Rancher, end to end over HTTP: a Rancher user, its binding to a
 * cluster, a token it mints for that cluster (docs/decisions/0005), and the cluster's API through the proxy with
 * that token.
 */
class UserAccessIT {

    @RegisterExtension
    static final RancherSimExtension SIM = RancherSimExtension.withOptions(SimOptions.defaults()
            .timing(SimTiming.fast())
            .token(SimSupport.TOKEN)
            .demoClusters(2));

    private static final OkHttpClient HTTP = new OkHttpClient();

    private static RancherClient rancher;
    private static String cluster1;
    private static String cluster2;

    @BeforeAll
    static void connect() {
        rancher = SimSupport.client(SIM.sim().url());
        cluster1 = SIM.sim().managementId("demo-001");
        cluster2 = SIM.sim().managementId("demo-002");
    }

    @AfterAll
    static void close() {
        rancher.close();
    }

    private static RancherUser user(String platformUser) {
        return rancher.users()
                .ensure(RancherUser.of(
                        RancherUser.nameFor(platformUser),
                        "kubeyard-" + platformUser,
                        platformUser + " (Kubeyard)",
                        Map.of("kubeyard.dev/user", platformUser)));
    }

    private static ClusterRoleTemplateBinding bind(RancherUser user, String clusterId, String role) {
        return rancher.clusterRoleBindings()
                .ensure(ClusterRoleTemplateBinding.forUser(
                        clusterId, user.id(), role, Map.of("kubeyard.dev/user", user.username())));
    }

    private static UserToken mint(RancherUser user, String clusterId, Duration ttl) {
        return rancher.userTokens()
                .create(
                        user,
                        clusterId,
                        ttl,
                        "kubeconfig of " + user.username(),
                        Map.of("kubeyard.dev/purpose", "kubeconfig"));
    }

    /** The status of {@code GET /k8s/clusters/<id>/version} with the token, as kubectl would meet it. */
    private static int versionStatus(UserToken token, String clusterId) {
        Request r = new Request.Builder()
                .url(SIM.sim().url() + "/k8s/clusters/" + clusterId + "/version")
                .header("Authorization", "Bearer " + token.secret().reveal())
                .build();
        try (Response response = HTTP.newCall(r).execute()) {
            return response.code();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void userIsCreatedFoundByLabelAndDeleted() {
        RancherUser alice = user("alice");

        assertThat(alice.id()).isEqualTo(RancherUser.nameFor("alice"));
        assertThat(rancher.users().get(alice.id()).username()).isEqualTo("kubeyard-alice");
        assertThat(rancher.users().findByLabel("kubeyard.dev/user", "alice"))
                .map(RancherUser::id)
                .contains(alice.id());
        assertThat(rancher.users().list(Map.of("kubeyard.dev/user", "alice"))).hasSize(1);

        rancher.users().delete(alice.id());

        assertThat(rancher.users().find(alice.id())).isEmpty();
        assertThat(rancher.users().findByLabel("kubeyard.dev/user", "alice")).isEmpty();
    }

    @Test
    void ensureIsSafeToRepeatButRefusesAUserOfThatNameWithAnotherUsername() {
        RancherUser first = user("bob");

        assertThat(user("bob").metadata().uid()).isEqualTo(first.metadata().uid());
        assertThatThrownBy(() -> rancher.users().create(first)).isInstanceOf(RancherAlreadyExistsException.class);
        assertThatThrownBy(() -> rancher.users().ensure(RancherUser.of(first.id(), "someone-else", "x", Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kubeyard-bob");
    }

    @Test
    void bindingIsCreatedListedByClusterLabelAndUserAndDeleted() {
        RancherUser carol = user("carol");

        ClusterRoleTemplateBinding b = bind(carol, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER);

        assertThat(b.clusterId()).isEqualTo(cluster1);
        assertThat(bind(carol, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER)
                        .metadata()
                        .uid())
                .isEqualTo(b.metadata().uid());
        assertThat(rancher.clusterRoleBindings().list(cluster1))
                .extracting(ClusterRoleTemplateBinding::name)
                .contains(b.name());
        assertThat(rancher.clusterRoleBindings().list(null, Map.of("kubeyard.dev/user", "kubeyard-carol")))
                .singleElement()
                .satisfies(x -> assertThat(x.roleTemplateName()).isEqualTo("cluster-member"));
        assertThat(rancher.clusterRoleBindings().list(cluster2))
                .extracting(ClusterRoleTemplateBinding::userName)
                .doesNotContain(carol.id());
        assertThat(rancher.clusterRoleBindings().listForUser(carol.id())).hasSize(1);

        rancher.clusterRoleBindings().delete(cluster1, b.name());

        assertThat(rancher.clusterRoleBindings().find(cluster1, b.name())).isEmpty();
        assertThat(rancher.clusterRoleBindings().listForUser(carol.id())).isEmpty();
    }

    @Test
    void bindingRancherRefusesIsAnInvalidRequestOrAMissingCluster() {
        RancherUser dave = user("dave");

        assertThatThrownBy(() -> bind(dave, cluster1, "no-such-role"))
                .isInstanceOfSatisfying(RancherInvalidRequestException.class, e -> assertThat(e.rancherMessage())
                        .contains("admission webhook", "no-such-role"));
        assertThatThrownBy(() -> bind(dave, "c-m-nosuch00", "cluster-owner"))
                .isInstanceOf(RancherNotFoundException.class);
    }

    @Test
    void mintedTokenReachesItsClusterThroughTheProxyAndNoOtherCluster() {
        RancherUser erin = user("erin");
        bind(erin, cluster1, ClusterRoleTemplateBinding.CLUSTER_OWNER);

        UserToken token = mint(erin, cluster1, Duration.ofHours(24));

        assertThat(token.userId()).isEqualTo(erin.id());
        assertThat(token.clusterId()).isEqualTo(cluster1);
        assertThat(token.secret().name()).isEqualTo("ext/" + token.name());
        assertThat(token.token().spec().ttl()).isEqualTo(Duration.ofHours(24).toMillis());
        assertThat(token.toString()).doesNotContain(token.secret().reveal().split(":")[1]);
        assertThat(SIM.sim().tokensOfUser(erin.id()))
                .as("the login session used to mint it is gone")
                .containsExactly(token.name());

        Kubeconfig kc = rancher.userTokens().kubeconfig(token, "demo-001");
        assertThat(kc.yaml()).contains(SIM.sim().url() + "/k8s/clusters/" + cluster1);
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kc.yaml()))
                .build()) {
            assertThat(k8s.nodes().list().getItems()).isNotEmpty();
        }

        Kubeconfig elsewhere = Kubeconfig.forToken(SIM.sim().url(), cluster2, "demo-002", token.secret(), false);
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(elsewhere.yaml()))
                .build()) {
            assertThatThrownBy(() -> k8s.nodes().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(401));
        }
    }

    @Test
    void tokenIsListedByUserAndRefusedOnceDeleted() {
        RancherUser frank = user("frank");
        bind(frank, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER);
        UserToken one = mint(frank, cluster1, Duration.ofHours(1));
        UserToken two = mint(frank, cluster1, Duration.ofHours(2));

        assertThat(rancher.userTokens().list(frank.id()))
                .extracting(ExtToken::name)
                .containsExactlyInAnyOrder(one.name(), two.name());
        assertThat(rancher.userTokens().list(Map.of("kubeyard.dev/purpose", "kubeconfig")))
                .extracting(ExtToken::name)
                .contains(one.name(), two.name());
        assertThat(rancher.userTokens().get(one.name()).userId()).isEqualTo(frank.id());
        assertThat(versionStatus(one, cluster1)).isEqualTo(200);

        rancher.userTokens().delete(one.name());

        assertThat(versionStatus(one, cluster1)).isEqualTo(401);
        assertThat(versionStatus(two, cluster1)).isEqualTo(200);
        assertThat(rancher.userTokens().deleteAll(frank.id())).isEqualTo(1);
        assertThat(versionStatus(two, cluster1)).isEqualTo(401);
        assertThat(rancher.userTokens().list(frank.id())).isEmpty();
    }

    @Test
    void expiredTokenIsRefused() {
        RancherUser grace = user("grace");
        bind(grace, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER);

        UserToken token = mint(grace, cluster1, Duration.ofSeconds(1));

        assertThat(token.token().expiresAt()).isPresent();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> versionStatus(token, cluster1) == 401);
    }

    @Test
    void deletingTheUserDropsItsBindingsAndTokens() {
        RancherUser heidi = user("heidi");
        bind(heidi, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER);
        bind(heidi, cluster2, ClusterRoleTemplateBinding.CLUSTER_OWNER);
        UserToken token = mint(heidi, cluster2, Duration.ofHours(8));
        assertThat(versionStatus(token, cluster2)).isEqualTo(200);

        rancher.users().delete(heidi.id());

        assertThat(versionStatus(token, cluster2)).isEqualTo(401);
        assertThat(rancher.clusterRoleBindings().listForUser(heidi.id())).isEmpty();
        assertThat(rancher.userTokens().list(heidi.id())).isEmpty();
        assertThat(SIM.sim().tokensOfUser(heidi.id())).isEmpty();
        assertThat(SIM.sim().clusterRoleTemplateBindingsOfUser(heidi.id())).isEmpty();
    }

    @Test
    void tokenForAClusterTheUserIsNotBoundToIsForbidden() {
        RancherUser ivan = user("ivan");
        bind(ivan, cluster1, ClusterRoleTemplateBinding.CLUSTER_MEMBER);

        assertThatThrownBy(() -> mint(ivan, cluster2, Duration.ofHours(1)))
                .isInstanceOf(RancherForbiddenException.class);
        assertThatThrownBy(() -> mint(ivan, "c-m-nosuch00", Duration.ofHours(1)))
                .isInstanceOf(RancherInvalidRequestException.class);
        assertThat(SIM.sim().tokensOfUser(ivan.id()))
                .as("no login session is left behind by a refused mint")
                .isEmpty();
    }
}
