package dev.kubeyard.platform.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/** A cluster spec to and from the inventory's {@code spec} column, with a mapper of its own (stable storage form). */
public final class SpecJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private SpecJson() {}

    public static Map<String, Object> toMap(ClusterSpec spec) {
        return MAPPER.convertValue(spec, new TypeReference<Map<String, Object>>() {});
    }

    public static ClusterSpec fromMap(Map<String, Object> map) {
        return MAPPER.convertValue(map, ClusterSpec.class);
    }

    /** Whether a stored spec is empty (a row made by something other than the API: nothing to provision). */
    public static boolean isEmpty(Map<String, Object> map) {
        return map == null || map.isEmpty();
    }
}
