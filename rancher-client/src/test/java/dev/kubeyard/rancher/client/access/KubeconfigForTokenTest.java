package dev.kubeyard.rancher.client.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.RancherToken;
import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

class KubeconfigForTokenTest {

    private static final RancherToken TOKEN = RancherToken.of("ext/token-qz8m4:x7vb2kq9tt4mdd5ww6rr8");

    @Test
    void fabric8ReadsTheFileAsAClusterBehindRancherProxy() {
        Kubeconfig kc =
                Kubeconfig.forToken("https://rancher.example.com/", "c-m-7x2kq9vd", "payments-prod", TOKEN, false);

        Config config = Config.fromKubeconfig(kc.yaml());

        assertThat(config.getMasterUrl()).isEqualTo("https://rancher.example.com/k8s/clusters/c-m-7x2kq9vd/");
        assertThat(config.getAutoOAuthToken()).isEqualTo(TOKEN.reveal());
        assertThat(config.getCurrentContext().getName()).isEqualTo("payments-prod");
        assertThat(config.isTrustCerts()).isFalse();
        assertThat(kc.clusterId()).isEqualTo("c-m-7x2kq9vd");
        assertThat(kc.toString()).doesNotContain("x7vb2kq9");
    }

    @Test
    void labRancherFileSkipsTlsVerification() {
        Kubeconfig kc = Kubeconfig.forToken("https://rancher.lab", "c-m-7x2kq9vd", "lab", TOKEN, true);

        assertThat(Config.fromKubeconfig(kc.yaml()).isTrustCerts()).isTrue();
    }

    @Test
    void namesAreQuotedSoThatYamlCannotBeInjected() {
        Kubeconfig kc = Kubeconfig.forToken("https://rancher.example.com", "c-m-7x2kq9vd", "a\"b: c\\d", TOKEN, false);

        assertThat(Config.fromKubeconfig(kc.yaml()).getCurrentContext().getName())
                .isEqualTo("a\"b: c\\d");
        assertThatThrownBy(() -> Kubeconfig.forToken("https://r", "c-m-1", "line\nbreak", TOKEN, false))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("x7vb2kq9");
    }
}
