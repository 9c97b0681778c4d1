package dev.kubeyard.rancher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RancherTokenTest {

    @Test
    void toStringShowsTheNameButNeverTheSecret() {
        RancherToken t = RancherToken.of("token-x7k2q:pz6vgh2lq8cd7mxt4kw9");

        assertThat(t.toString()).contains("token-x7k2q").doesNotContain("pz6vgh2lq8cd7mxt4kw9");
        assertThat(t.name()).isEqualTo("token-x7k2q");
    }

    @Test
    void extTokenNamesWithAPrefixAreAccepted() {
        assertThat(RancherToken.of("ext/token-abcde:secret123").name()).isEqualTo("ext/token-abcde");
    }

    @Test
    void rejectsAValueNotOfRancherFormWithoutRepeatingIt() {
        assertThatThrownBy(() -> RancherToken.of("justasecretvalue"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("justasecretvalue");
    }

    @Test
    void configToStringDoesNotLeakTheToken() {
        RancherClientConfig c = RancherClientConfig.builder(
                        "https://rancher.example.com/", RancherToken.of("token-a:verysecretvalue"))
                .build();

        assertThat(c.toString()).doesNotContain("verysecretvalue");
        assertThat(c.baseUrl().toString()).isEqualTo("https://rancher.example.com");
    }
}
