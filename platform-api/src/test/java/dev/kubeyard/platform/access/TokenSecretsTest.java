package dev.kubeyard.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    @Test
    void generatedTokensHaveOurShapeAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = TokenSecrets.generate();
            assertThat(TokenSecrets.looksLikeOurs(token)).as(token).isTrue();
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void claimsNoOtherKindOfBearerToken() {
        assertThat(TokenSecrets.looksLikeOurs("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"))
                .isFalse();
        assertThat(TokenSecrets.looksLikeOurs("token-abcde:secret")).isFalse();
        assertThat(TokenSecrets.looksLikeOurs("kyd_short")).isFalse();
        assertThat(TokenSecrets.looksLikeOurs(null)).isFalse();
    }

    @Test
    void storesAHashThatDoesNotContainTheSecret() {
        String token = TokenSecrets.generate();
        String hash = TokenSecrets.hash(token);
        assertThat(hash).hasSize(64).doesNotContain(token.substring(4));
        assertThat(TokenSecrets.hash(token))
                .as("the same secret, the same hash")
                .isEqualTo(hash);
    }

    @Test
    void theHintIsTooShortToGuessTheRest() {
        String token = TokenSecrets.generate();
        assertThat(TokenSecrets.hint(token)).startsWith("kyd_").hasSize(11);
    }
}
