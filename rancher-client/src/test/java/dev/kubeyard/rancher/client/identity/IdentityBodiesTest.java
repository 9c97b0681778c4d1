package dev.kubeyard.rancher.client.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.Fixtures;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.internal.Json;
import dev.kubeyard.rancher.client.internal.Resources;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityBodiesTest {

    @Test
    void userReadsItsTopLevelFieldsAndKeepsStatusForTheRoundTrip() {
        RancherUser u = Fixtures.read("v1/user.json", RancherUser.class);

        assertThat(u.id()).isEqualTo("u-ky-3f9a1c0d2e");
        assertThat(u.username()).isEqualTo("kubeyard-alice");
        assertThat(u.displayName()).isEqualTo("Alice Example");
        assertThat(u.isEnabled()).isTrue();
        assertThat(u.principalIds()).containsExactly("local://u-ky-3f9a1c0d2e");
        assertThat(u.metadata().labels()).containsEntry("kubeyard.dev/user", "alice");
        JsonNode body = Resources.writeBody(u, RancherUser.STEVE_TYPE);
        assertThat(body.path("username").asText()).isEqualTo("kubeyard-alice");
        assertThat(body.has("status")).isFalse();
        assertThat(body.has("links")).isFalse();
        assertThat(body.path("metadata").path("finalizers").isArray()).isTrue();
    }

    @Test
    void newUserBodyHasNoNamespaceAndNoPassword() {
        JsonNode body = Resources.writeBody(
                RancherUser.of("u-ky-0000000001", "kubeyard-bob", "Bob", Map.of("kubeyard.dev/user", "bob")),
                RancherUser.STEVE_TYPE);

        assertThat(body.path("type").asText()).isEqualTo("management.cattle.io.user");
        assertThat(body.path("metadata").has("namespace")).isFalse();
        assertThat(body.path("metadata").path("name").asText()).isEqualTo("u-ky-0000000001");
        assertThat(body.toString()).doesNotContain("password");
    }

    @Test
    void userIdOfAPlatformUserIsAStableKubernetesName() {
        String id = RancherUser.nameFor("Alice.Smith@Example.COM");

        assertThat(id).matches("u-ky-[0-9a-f]{32}");
        assertThat(RancherUser.nameFor("Alice.Smith@Example.COM")).isEqualTo(id);
        assertThat(RancherUser.nameFor("alice.smith@example.com")).isNotEqualTo(id);
    }

    @Test
    void bindingReadsSubjectRoleAndClusterAndWritesThemBackAtTopLevel() {
        ClusterRoleTemplateBinding b =
                Fixtures.read("v1/clusterroletemplatebinding.json", ClusterRoleTemplateBinding.class);

        assertThat(b.clusterId()).isEqualTo("c-m-7x2kq9vd");
        assertThat(b.roleTemplateName()).isEqualTo(ClusterRoleTemplateBinding.CLUSTER_MEMBER);
        assertThat(b.userName()).isEqualTo("u-ky-3f9a1c0d2e");
        assertThat(b.userPrincipalName()).isEqualTo("local://u-ky-3f9a1c0d2e");
        assertThat(b.name()).isEqualTo(ClusterRoleTemplateBinding.nameFor("u-ky-3f9a1c0d2e", "cluster-member"));
        JsonNode body = Resources.writeBody(
                ClusterRoleTemplateBinding.forUser("c-m-7x2kq9vd", "u-ky-1", "cluster-owner", Map.of("a", "b")),
                ClusterRoleTemplateBinding.STEVE_TYPE);
        assertThat(body.path("clusterName").asText()).isEqualTo("c-m-7x2kq9vd");
        assertThat(body.path("roleTemplateName").asText()).isEqualTo("cluster-owner");
        assertThat(body.path("userName").asText()).isEqualTo("u-ky-1");
        assertThat(body.path("metadata").path("namespace").asText()).isEqualTo("c-m-7x2kq9vd");
        assertThat(body.has("groupName")).isFalse();
    }

    @Test
    void createdTokenAnswerReadAsAListingTypeNeverKeepsTheSecret() {
        ExtToken t = Fixtures.read("v1/ext-token-created.json", ExtToken.class);

        assertThat(t.userId()).isEqualTo("u-ky-3f9a1c0d2e");
        assertThat(t.clusterId()).contains("c-m-7x2kq9vd");
        assertThat(t.spec().ttl()).isEqualTo(86_400_000L);
        assertThat(t.expiresAt()).contains(Instant.parse("2026-12-01T09:13:02Z"));
        assertThat(t.isExpired()).isFalse();
        assertThat(t.status().extra()).doesNotContainKeys("value", "bearerToken");
        assertThat(Json.mapper().valueToTree(t).toString()).doesNotContain("x7vb2kq9tt4mdd5");
        assertThat(t.toString()).doesNotContain("x7vb2kq9tt4mdd5");
        assertThat(t.spec().extra()).containsKey("userPrincipal");
    }

    @Test
    void mintedTokenShowsItsNameUserAndClusterButNeverItsSecret() {
        ExtToken t = Fixtures.read("v1/ext-token-created.json", ExtToken.class);
        UserToken minted = new UserToken(t, RancherToken.of("ext/token-qz8m4:x7vb2kq9tt4mdd5ww6rr8"));

        assertThat(minted.toString())
                .contains("token-qz8m4", "u-ky-3f9a1c0d2e", "c-m-7x2kq9vd")
                .doesNotContain("x7vb2kq9tt4mdd5");
        assertThat(minted.clusterId()).isEqualTo("c-m-7x2kq9vd");
    }
}
