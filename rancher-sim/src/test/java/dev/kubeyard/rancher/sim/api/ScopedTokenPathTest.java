package dev.kubeyard.rancher.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where Rancher accepts a token scoped to one cluster (pkg/auth/requests/authenticate.go). */
class ScopedTokenPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/k8s/clusters/c-m-aaaa1111/api/v1/nodes, true",
        "/k8s/clusters/c-m-aaaa1111, true",
        "/k8s/proxy/c-m-aaaa1111/version, true",
        "/v3/clusters/c-m-aaaa1111, true",
        "/v3/clusters/c-m-aaaa1111/clusterregistrationtokens, true",
        "/k8s/clusters/c-m-bbbb2222/api/v1/nodes, false",
        "/k8s/clusters/c-m-aaaa11112/version, false",
        "/v3/clusters, false",
        "/v1/provisioning.cattle.io.clusters, false",
        "/v1/ext.cattle.io.tokens, false",
        "/apis/ext.cattle.io/v1/tokens, false"
    })
    void scopedTokenIsAcceptedOnlyUnderItsOwnClusterPaths(String path, boolean accepted) {
        assertThat(AuthFilter.scopedPathOf("c-m-aaaa1111", path)).isEqualTo(accepted);
    }
}
