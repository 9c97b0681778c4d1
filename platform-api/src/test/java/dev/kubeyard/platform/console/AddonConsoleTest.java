package dev.kubeyard.platform.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kubeyard.platform.problem.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddonConsoleTest {

    static Stream<Arguments> readable() {
        return Stream.of(
                Arguments.of("nothing typed is no values", "", "{}"),
                Arguments.of("blank lines are no values", "  \n\n", "{}"),
                Arguments.of("only a comment is no values", "# none yet\n", "{}"),
                Arguments.of(
                        "nested YAML keeps its types",
                        "replicas: 2\nresources:\n  requests:\n    cpu: 100m\ndebug: false\n",
                        "{\"replicas\":2,\"resources\":{\"requests\":{\"cpu\":\"100m\"}},\"debug\":false}"),
                Arguments.of(
                        "a YAML list inside a mapping",
                        "kubeletPreferredAddressTypes:\n  - InternalIP\n  - Hostname\n",
                        "{\"kubeletPreferredAddressTypes\":[\"InternalIP\",\"Hostname\"]}"),
                Arguments.of(
                        "JSON is YAML",
                        "{\"storageClass\": {\"reclaimPolicy\": \"Retain\"}}",
                        "{\"storageClass\":{\"reclaimPolicy\":\"Retain\"}}"),
                Arguments.of(
                        "a quoted number stays text", "metricResolution: \"15\"\n", "{\"metricResolution\":\"15\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void readsValuesAsTheJsonObjectTheApiTakes(String row, String text, String json) {
        assertThat(AddonValuesText.parse(text).toString()).isEqualTo(json);
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("an unclosed list", "storageClass: [Delete\n", "line"),
                Arguments.of("a bad indentation", "a:\n  b: 1\n c: 2\n", "line"),
                Arguments.of("a list at the top", "- replicas: 2\n", "not a list"),
                Arguments.of("a bare word", "replicas\n", "not a single text"),
                Arguments.of("a bare number", "2\n", "not a single number"),
                Arguments.of("more than a page of text", "a: " + "x".repeat(AddonValuesText.MAX_CHARS), "longer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void refusesWhatIsNotAMappingNamingTheValuesField(String row, String text, String why) {
        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> AddonValuesText.parse(text));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("values");
            assertThat(e.detail()).contains(why);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsRows")
    void showsTheSettingsInTheOrderTheFormAsksForThem(String row, Map<String, Object> stored, List<String> names) {
        assertThat(AddonRolloutConsole.settings(stored).stream()
                        .map(AddonRolloutConsole.Setting::name)
                        .toList())
                .isEqualTo(names);
    }

    static Stream<Arguments> settingsRows() {
        return Stream.of(
                Arguments.of(
                        "stored in any order",
                        Map.of(
                                "healthGate", true,
                                "soakSeconds", 60,
                                "canaries", 1,
                                "progressDeadlineSeconds", 600,
                                "failureBudget", 0,
                                "maxConcurrent", 10),
                        AddonRolloutConsole.SETTINGS),
                Arguments.of(
                        "a setting the console does not know comes last",
                        Map.of("canaries", 1, "pauseBetweenWavesSeconds", 30),
                        List.of("canaries", "pauseBetweenWavesSeconds")),
                Arguments.of("none stored", Map.of(), List.of()));
    }
}
