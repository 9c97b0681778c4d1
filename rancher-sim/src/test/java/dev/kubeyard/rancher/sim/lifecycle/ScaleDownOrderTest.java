package dev.kubeyard.rancher.sim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.Meta;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which machine a MachineSet deletes first when its pool shrinks. */
class ScaleDownOrderTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void annotatedMachineGoesFirstThenUnhealthyThenNewest() {
        MachineObject oldest = machine("oldest", 0);
        MachineObject newest = machine("newest", 30);
        MachineObject middle = machine("middle", 10);
        MachineObject unhealthy = machine("unhealthy", 5);
        unhealthy.fault = MachineObject.Fault.NOT_READY;
        MachineObject annotated = machine("annotated", 1);
        annotated.meta.annotations.put(Lifecycle.DELETE_MACHINE_ANNOTATION, "true");

        List<MachineObject> order = new ArrayList<>(List.of(oldest, newest, middle, unhealthy, annotated));
        order.sort(Lifecycle.SCALE_DOWN_ORDER);

        assertThat(order)
                .extracting(MachineObject::name)
                .containsExactly("annotated", "unhealthy", "newest", "middle", "oldest");
    }

    private static MachineObject machine(String name, int secondsAfter) {
        Meta meta = new Meta("fleet-default", name, name, T0.plusSeconds(secondsAfter), 1);
        PoolSpec pool =
                new PoolSpec("workers", 3, false, false, true, null, null, Map.of(), List.of(), false, false, null);
        ClusterObject cluster = new ClusterObject(
                new Meta("fleet-default", "c", "u", T0, 1),
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(),
                "c-m-1",
                "u1",
                "u2");
        return new MachineObject(meta, cluster, pool, "c-workers-00000000", "10.0.0.1", "v1", T0);
    }
}
