package dev.kubeyard.rancher.client.identity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The limits a user's token is held to before anything is sent (the URL is never reached). */
class UserTokensTest {

    private static RancherClient rancher;
    private static final RancherUser ALICE = RancherUser.of("u-ky-1", "kubeyard-alice", "Alice", Map.of());

    @BeforeAll
    static void client() {
        rancher = RancherClient.create(RancherClientConfig.builder("http://127.0.0.1:9", RancherToken.of("token-a:b"))
                .build());
    }

    @AfterAll
    static void close() {
        rancher.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no ttl", "c-m-abcd1234", null),
                Arguments.of("zero ttl", "c-m-abcd1234", Duration.ZERO),
                Arguments.of("negative ttl", "c-m-abcd1234", Duration.ofMinutes(-1)),
                Arguments.of(
                        "ttl over 24 hours",
                        "c-m-abcd1234",
                        Duration.ofHours(24).plusSeconds(1)),
                Arguments.of("no cluster", null, Duration.ofHours(1)),
                Arguments.of("blank cluster", " ", Duration.ofHours(1)),
                Arguments.of("a path instead of an id", "c-m-abcd1234/x", Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void tokenIsNeverAskedForOutsideItsLimits(String name, String clusterId, Duration ttl) {
        assertThatThrownBy(() -> rancher.userTokens().create(ALICE, clusterId, ttl, "x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
