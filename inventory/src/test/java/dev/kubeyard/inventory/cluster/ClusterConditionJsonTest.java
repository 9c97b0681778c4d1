package dev.kubeyard.inventory.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.inventory.json.InventoryJsonFormatMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConditionJsonTest {

    @Test
    void conditionsAreStoredTheKubernetesWay() throws Exception {
        ObjectMapper mapper = InventoryJsonFormatMapper.objectMapper();
        List<ClusterCondition> conditions = List.of(new ClusterCondition(
                "Ready",
                ConditionStatus.UNKNOWN,
                "RancherUnreachable",
                "3 calls failed",
                Instant.parse("2026-01-01T00:00:00Z")));

        String json = mapper.writeValueAsString(conditions);

        assertThat(json)
                .isEqualTo("[{\"type\":\"Ready\",\"status\":\"Unknown\",\"reason\":\"RancherUnreachable\","
                        + "\"message\":\"3 calls failed\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]");
        assertThat(mapper.readValue(json, new TypeReference<List<ClusterCondition>>() {}))
                .isEqualTo(conditions);
    }
}
