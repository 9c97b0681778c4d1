package dev.kubeyard.rancher.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Machine-config kinds follow Rancher's naming: driver name capitalised plus Config. */
class SteveTypeTest {

    @ParameterizedTest(name = "{0} holds {1}")
    @CsvSource({
        "openstackconfigs, OpenstackConfig, rke-machine-config.cattle.io.openstackconfig",
        "amazonec2configs, Amazonec2Config, rke-machine-config.cattle.io.amazonec2config",
        "vmwarevsphereconfigs, VmwarevsphereConfig, rke-machine-config.cattle.io.vmwarevsphereconfig"
    })
    void machineConfigTypeIsDerivedFromTheCollection(String plural, String kind, String schemaId) {
        SteveType type = SteveType.machineConfig(plural);

        assertThat(type.kind()).isEqualTo(kind);
        assertThat(type.schemaId()).isEqualTo(schemaId);
        assertThat(type.resource()).isEqualTo(plural + ".rke-machine-config.cattle.io");
    }
}
