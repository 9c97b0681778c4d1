package dev.kubeyard.rancher.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which workloads a fault selects, and what it says about them. */
class WorkloadFaultTest {

    private static final List<String> IMAGES =
            List.of("registry.k8s.io/metrics-server/metrics-server:v0.8.0", "busybox");

    static Stream<Arguments> matchers() {
        return Stream.of(
                Arguments.of("every workload", WorkloadFault.all(), true),
                Arguments.of("by namespace and name", WorkloadFault.named("kube-system", "metrics-server"), true),
                Arguments.of("by name in any namespace", WorkloadFault.named(null, "metrics-server"), true),
                Arguments.of("another name", WorkloadFault.named("kube-system", "coredns"), false),
                Arguments.of("another namespace", WorkloadFault.named("default", "metrics-server"), false),
                Arguments.of("by image substring", WorkloadFault.image("metrics-server:v0.8"), true),
                Arguments.of("by an init container image", WorkloadFault.image("busybox"), true),
                Arguments.of("an image it does not run", WorkloadFault.image("metrics-server:v0.7"), false),
                Arguments.of(
                        "all matchers must hold",
                        new WorkloadFault("kube-system", "coredns", "metrics-server", null, null),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchers")
    void selectsTheWorkloadsItsMatchersDescribe(String row, WorkloadFault fault, boolean matches) {
        assertThat(fault.matches("kube-system", "metrics-server", IMAGES)).isEqualTo(matches);
    }

    @Test
    void defaultMessageNamesTheMatchingImageAndTheReason() {
        assertThat(WorkloadFault.image("v0.8").messageFor(IMAGES))
                .isEqualTo("container image \"registry.k8s.io/metrics-server/metrics-server:v0.8.0\" ImagePullBackOff");
        assertThat(WorkloadFault.image("busybox").because("ErrImagePull", null).messageFor(IMAGES))
                .isEqualTo("container image \"busybox\" ErrImagePull");
        assertThat(WorkloadFault.all().because(null, "the node ran out of disk").messageFor(IMAGES))
                .isEqualTo("the node ran out of disk");
    }

    @Test
    void blankMatchersMeanAnyAndTheReasonDefaults() {
        WorkloadFault fault = new WorkloadFault(" ", "", null, " ", null);

        assertThat(fault).isEqualTo(WorkloadFault.all());
        assertThat(fault.reason()).isEqualTo("ImagePullBackOff");
    }

    @Test
    void reasonMustBeACamelCaseWord() {
        assertThatThrownBy(() -> WorkloadFault.all().because("image pull back-off", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CamelCase");
        assertThatThrownBy(() -> WorkloadFault.image(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
