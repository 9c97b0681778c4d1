package dev.kubeyard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.platform.problem.ProblemException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "prod-eu-1", "z9-very-long-cluster-name-with-dashes"})
    void aCursorDecodesToTheNameItWasMadeFrom(String name) {
        assertThat(PageCursor.decode(PageCursor.encode(name))).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "cHJvZC1ldS0x", "djE6"})
    void aCursorThisApiDidNotReturnIsABadRequestNamingTheField(String cursor) {
        assertThatThrownBy(() -> PageCursor.decode(cursor)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errors()).singleElement().extracting("field").isEqualTo("cursor");
        });
    }
}
