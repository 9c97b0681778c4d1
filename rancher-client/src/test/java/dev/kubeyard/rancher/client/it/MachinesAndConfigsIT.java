package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.machine.MachinePhase;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.machineconfig.OpenstackConfigs;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MachinesAndConfigsIT {

    @RegisterExtension
    static final RancherSimExtension SIM =
            RancherSimExtension.withOptions(SimOptions.defaults().timing(SimTiming.fast()));

    private static RancherClient rancher;

    @BeforeAll
    static void connect() {
        rancher = SimSupport.client(SIM.sim().url());
    }

    @AfterAll
    static void close() {
        rancher.close();
    }

    private static void usable(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> rancher.clusters().get(name), ProvisioningCluster::isUsable);
    }

    @Test
    void deletedMachineIsReplacedByItsPool() {
        SimSupport.createCluster(rancher, "heal-1", 1, 1, 2, Map.of());
        usable("heal-1");
        Machine victim = rancher.machines().list("heal-1", "workers").get(0);

        rancher.machines().delete(victim.name());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Machine> workers = rancher.machines().list("heal-1", "workers");
            assertThat(workers).extracting(Machine::name).doesNotContain(victim.name());
            assertThat(workers).hasSize(2).allSatisfy(m -> assertThat(m.phase()).isEqualTo(MachinePhase.RUNNING));
        });
    }

    @Test
    void machineMarkedForScaleDownIsTheOneRemoved() {
        SimSupport.createCluster(rancher, "mark-1", 1, 1, 3, Map.of());
        usable("mark-1");
        Machine chosen = rancher.machines().list("mark-1", "workers").get(1);

        Machine marked = rancher.machines().markForScaleDown(chosen.name());
        rancher.clusters().scalePool("mark-1", "workers", 2);

        assertThat(marked.metadata().annotations()).containsEntry(Machine.DELETE_ANNOTATION, "true");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(rancher.machines().list("mark-1", "workers"))
                        .hasSize(2)
                        .extracting(Machine::name)
                        .doesNotContain(chosen.name()));
    }

    @Test
    void failedNodeShowsInConditionsWhileTheStateStaysRunning() {
        SimSupport.createCluster(rancher, "sick-1", 1, 1, 1, Map.of());
        usable("sick-1");
        Machine worker = rancher.machines().list("sick-1", "workers").get(0);

        SimSupport.admin(SIM.sim().url(), "/_sim/machines/" + worker.name() + "/fail", "{\"mode\":\"notready\"}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Machine m = rancher.machines().get(worker.name());
            assertThat(m.condition("NodeHealthy").map(Condition::isTrue)).contains(false);
            assertThat(m.metadata().stateOrUnknown().name()).isEqualTo("running");
        });
    }

    @Test
    void machineConfigIsCreatedWithAGeneratedNameReadUpdatedAndDeleted() {
        MachineConfig created = rancher.machineConfigs()
                .create(OpenstackConfigs.forPool("fleet-default", "cfg-1", "workers")
                        .imageName("ubuntu-24.04-rke2")
                        .flavorName("m1.large")
                        .netName("tenant-net")
                        .secGroups(List.of("default", "k8s"))
                        .bootFromVolume(80, "ssd")
                        .build());

        assertThat(created.name()).startsWith("nc-cfg-1-workers-").hasSizeGreaterThan("nc-cfg-1-workers-".length());
        MachineConfig read = rancher.machineConfigs().get(OpenstackConfigs.KIND, created.name());
        assertThat(read.field("flavorName")).isEqualTo("m1.large");
        assertThat(read.field("secGroups")).isEqualTo("default,k8s");

        Map<String, Object> fields = new LinkedHashMap<>(read.fields());
        fields.put("flavorName", "m1.xlarge");
        MachineConfig updated = rancher.machineConfigs()
                .update(new MachineConfig(read.apiVersion(), read.kind(), read.metadata(), fields));
        assertThat(updated.field("flavorName")).isEqualTo("m1.xlarge");

        rancher.machineConfigs().delete(OpenstackConfigs.KIND, created.name());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                        () -> rancher.machineConfigs().get(OpenstackConfigs.KIND, created.name()))
                .isInstanceOf(RancherNotFoundException.class));
    }

    @Test
    void machinesCarryTheirPoolRolesAndLabels() {
        SimSupport.createCluster(rancher, "roles-1", 1, 1, 1, Map.of());
        usable("roles-1");

        Map<String, Set<?>> rolesByPool = rancher.machines().list("roles-1").stream()
                .collect(Collectors.toMap(m -> m.pool().orElseThrow(), Machine::roles));

        assertThat(rolesByPool).hasSize(3);
        assertThat(rolesByPool.get("etcd")).hasSize(1);
        assertThat(rolesByPool.get("workers").toString()).contains("WORKER");
    }
}
