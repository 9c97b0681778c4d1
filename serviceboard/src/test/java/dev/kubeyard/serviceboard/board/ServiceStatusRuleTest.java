package dev.kubeyard.serviceboard.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.serviceboard.board.Facts.PodFacts;
import dev.kubeyard.serviceboard.board.Facts.ServiceFacts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The status rule of README.md, row by row. */
class ServiceStatusRuleTest {

    static final Map<String, String> APP = Map.of("app", "shop");

    static ServiceFacts service(Map<String, String> selector, String type) {
        return new ServiceFacts(
                "shop", "web", type, "10.43.0.10", List.of(), selector, Map.of(), List.of(), Optional.empty());
    }

    static PodFacts pod(String name, String phase, boolean ready, boolean terminating, String waiting) {
        return new PodFacts(
                "shop", name, APP, phase, ready, terminating, List.of("shop:1.2"), 0, Optional.ofNullable(waiting));
    }

    static PodFacts ready(String name) {
        return pod(name, "Running", true, false, null);
    }

    static PodFacts crashing(String name) {
        return pod(name, "Running", false, false, "CrashLoopBackOff");
    }

    static Stream<Arguments> rows() {
        ServiceFacts selecting = service(APP, "ClusterIP");
        ServiceFacts manual = service(Map.of(), "ClusterIP");
        return Stream.of(
                Arguments.argumentSet(
                        "aStaleClusterIsUnknownWhateverItsPodsSay",
                        selecting,
                        List.of(ready("a")),
                        true,
                        1,
                        0,
                        Optional.of("the API does not answer"),
                        ServiceStatus.UNKNOWN,
                        "not current"),
                Arguments.argumentSet(
                        "externalNameIsHealthy",
                        service(Map.of(), "ExternalName"),
                        List.of(),
                        false,
                        0,
                        0,
                        Optional.empty(),
                        ServiceStatus.HEALTHY,
                        "ExternalName"),
                Arguments.argumentSet(
                        "allPodsReadyIsHealthy",
                        selecting,
                        List.of(ready("a"), ready("b")),
                        true,
                        2,
                        0,
                        Optional.empty(),
                        ServiceStatus.HEALTHY,
                        "2 of 2 pods ready"),
                Arguments.argumentSet(
                        "oneOfThreeCrashingIsDegradedAndSaysWhy",
                        selecting,
                        List.of(ready("a"), ready("b"), crashing("c")),
                        true,
                        2,
                        1,
                        Optional.empty(),
                        ServiceStatus.DEGRADED,
                        "2 of 3 pods ready: CrashLoopBackOff in 1"),
                Arguments.argumentSet(
                        "noPodReadyIsDown",
                        selecting,
                        List.of(crashing("a"), crashing("b")),
                        true,
                        0,
                        2,
                        Optional.empty(),
                        ServiceStatus.DOWN,
                        "0 of 2 pods ready: CrashLoopBackOff in 2"),
                Arguments.argumentSet(
                        "noPodMatchingIsDown",
                        selecting,
                        List.of(),
                        true,
                        0,
                        0,
                        Optional.empty(),
                        ServiceStatus.DOWN,
                        "No running pod matches the selector app=shop"),
                Arguments.argumentSet(
                        "finishedAndTerminatingPodsDoNotCount",
                        selecting,
                        List.of(pod("job", "Succeeded", false, false, null), pod("old", "Running", true, true, null)),
                        true,
                        0,
                        0,
                        Optional.empty(),
                        ServiceStatus.DOWN,
                        "No running pod"),
                Arguments.argumentSet(
                        "readyPodsWithoutAReadyEndpointAreDown",
                        selecting,
                        List.of(ready("a")),
                        true,
                        0,
                        1,
                        Optional.empty(),
                        ServiceStatus.DOWN,
                        "but no endpoint is ready"),
                Arguments.argumentSet(
                        "withoutEndpointSlicesThePodsDecide",
                        selecting,
                        List.of(ready("a")),
                        false,
                        0,
                        0,
                        Optional.empty(),
                        ServiceStatus.HEALTHY,
                        "1 of 1 pods ready"),
                Arguments.argumentSet(
                        "aFailedPodMakesItDegraded",
                        selecting,
                        List.of(ready("a"), pod("b", "Failed", false, false, null)),
                        true,
                        1,
                        0,
                        Optional.empty(),
                        ServiceStatus.DEGRADED,
                        "1 failed"),
                Arguments.argumentSet(
                        "noSelectorAllEndpointsReadyIsHealthy",
                        manual,
                        List.of(),
                        true,
                        3,
                        0,
                        Optional.empty(),
                        ServiceStatus.HEALTHY,
                        "3 of 3 endpoints ready"),
                Arguments.argumentSet(
                        "noSelectorSomeEndpointsNotReadyIsDegraded",
                        manual,
                        List.of(),
                        true,
                        1,
                        2,
                        Optional.empty(),
                        ServiceStatus.DEGRADED,
                        "1 of 3 endpoints ready"),
                Arguments.argumentSet(
                        "noSelectorNoReadyEndpointIsDown",
                        manual,
                        List.of(),
                        true,
                        0,
                        2,
                        Optional.empty(),
                        ServiceStatus.DOWN,
                        "0 of 2 endpoints ready"),
                Arguments.argumentSet(
                        "noSelectorAndNoEndpointsIsUnknownNotHealthy",
                        manual,
                        List.of(),
                        false,
                        0,
                        0,
                        Optional.empty(),
                        ServiceStatus.UNKNOWN,
                        "managed outside Kubernetes"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theStatusFollowsTheWrittenRule(
            ServiceFacts service,
            List<PodFacts> pods,
            boolean hasSlices,
            int readyEndpoints,
            int notReadyEndpoints,
            Optional<String> stale,
            ServiceStatus expected,
            String reasonContains) {
        ServiceRows.Verdict verdict =
                ServiceRows.status(service, pods, hasSlices, readyEndpoints, notReadyEndpoints, stale);
        assertThat(verdict.status()).isEqualTo(expected);
        assertThat(verdict.reason()).contains(reasonContains);
    }
}
