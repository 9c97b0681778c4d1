package dev.kubeyard.mirror.plan;

import static dev.kubeyard.mirror.plan.World.T0;
import static dev.kubeyard.mirror.plan.World.actions;
import static dev.kubeyard.mirror.plan.World.http;
import static dev.kubeyard.mirror.plan.World.ready;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The port rule of README.md, row by row: cluster "old" exported a minute before cluster "new"; cluster "c" imports.
 */
class PortRuleTest {

    static final ServiceType IP = ServiceType.CLUSTER_IP;

    static Port grpc(int port) {
        return new Port("grpc", "TCP", port);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.argumentSet(
                        "theSamePortsAgree",
                        IP,
                        List.of(http(80)),
                        IP,
                        List.of(http(80)),
                        List.of(http(80)),
                        Reasons.NO_CONFLICTS,
                        "agree"),
                Arguments.argumentSet(
                        "portsOfDifferentNamesAreMerged",
                        IP,
                        List.of(http(80)),
                        IP,
                        List.of(http(80), grpc(9090)),
                        List.of(grpc(9090), http(80)),
                        Reasons.NO_CONFLICTS,
                        "agree"),
                Arguments.argumentSet(
                        "aNameWithAnotherNumberKeepsTheOldestExportsNumber",
                        IP,
                        List.of(http(80)),
                        IP,
                        List.of(http(8080)),
                        List.of(http(80)),
                        Reasons.PORT_CONFLICT,
                        "port 'http' is 80/TCP in old and 8080/TCP in new: old is used"),
                Arguments.argumentSet(
                        "aNameWithAnotherProtocolKeepsTheOldestExportsProtocol",
                        IP,
                        List.of(http(80)),
                        IP,
                        List.of(new Port("http", "UDP", 80)),
                        List.of(http(80)),
                        Reasons.PORT_CONFLICT,
                        "port 'http' is 80/TCP in old and 80/UDP in new: old is used"),
                Arguments.argumentSet(
                        "aNumberClaimedUnderAnotherNameIsLeftOut",
                        IP,
                        List.of(http(80)),
                        IP,
                        List.of(new Port("web", "TCP", 80)),
                        List.of(http(80)),
                        Reasons.PORT_CONFLICT,
                        "port 80/TCP is 'http' in old and 'web' in new: 'web' is left out"),
                Arguments.argumentSet(
                        "anotherTypeKeepsTheOldestExportsType",
                        ServiceType.HEADLESS,
                        List.of(http(80)),
                        IP,
                        List.of(http(80)),
                        List.of(http(80)),
                        Reasons.TYPE_CONFLICT,
                        "new exports it as CLUSTER_IP, the oldest export (old) as HEADLESS: HEADLESS is used"));
    }

    static Export export(ServiceType type, List<Port> ports, int minute) {
        return new Export(
                "shop", "web", type, ports, List.of(ready(8080, "10.0.0." + minute)), T0.plusSeconds(60L * minute));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theOldestExportWinsAndEveryDisagreementIsAConflict(
            ServiceType oldType,
            List<Port> oldPorts,
            ServiceType newType,
            List<Port> newPorts,
            List<Port> followerPorts,
            String reason,
            String messageContains) {
        World world = World.of("new", "old", "c")
                .exports("new", export(newType, newPorts, 2))
                .exports("old", export(oldType, oldPorts, 1));

        MirrorPlan plan = world.plan();

        CreateService created = (CreateService) actions(plan, "c").getFirst();
        assertThat(created.service().ports()).containsExactlyElementsOf(followerPorts);
        assertThat(created.service().type()).isEqualTo(oldType);
        assertThat(created.service().labels()).containsEntry(MirrorLabels.ORIGIN, "old");
        for (String exporter : List.of("old", "new")) {
            Condition conflict =
                    World.export(plan, exporter).condition(Reasons.CONFLICT).orElseThrow();
            assertThat(conflict.reason()).isEqualTo(reason);
            assertThat(conflict.status()).isEqualTo(reason.equals(Reasons.NO_CONFLICTS) ? Reasons.FALSE : Reasons.TRUE);
            assertThat(conflict.message()).contains(messageContains);
        }
        Condition onFollower = created.service().conditions().stream()
                .filter(c -> c.type().equals(Reasons.CONFLICT))
                .findFirst()
                .orElseThrow();
        assertThat(onFollower.reason()).isEqualTo(reason);
    }
}
