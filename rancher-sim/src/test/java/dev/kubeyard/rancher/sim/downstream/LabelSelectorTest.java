package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Label selectors as kube-apiserver evaluates them, on the labels {@code app=web, tier=frontend}. */
class LabelSelectorTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "frontend");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                  | true",
                "app=web                             | true",
                "app==web                            | true",
                "app=db                              | false",
                "app!=db                             | true",
                "missing!=x                          | true",
                "app in (web,db)                     | true",
                "app in ( db , cache )               | false",
                "app notin (db)                      | true",
                "missing notin (db)                  | true",
                "app notin (web)                     | false",
                "tier                                | true",
                "missing                             | false",
                "!missing                            | true",
                "!tier                               | false",
                "app=web,tier in (frontend,backend)  | true",
                "app=web, tier notin (frontend)      | false",
                "kubeyard.dev/addon                  | false",
                "app.kubernetes.io/name notin (web)  | true"
            })
    void matchesAsTheApiServerDoes(String selector, boolean matches) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app in ()", "app in", "app = = web", "app in (we b)", "=web", "app notin web"})
    void rejectsWhatTheApiServerCannotParse(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unable to parse requirement");
    }
}
