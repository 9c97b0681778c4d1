package dev.kubeyard.inventory.cluster;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter(autoApply = true)
public class ClusterPhaseConverter implements AttributeConverter<ClusterPhase, String> {

    @Override
    public String convertToDatabaseColumn(ClusterPhase phase) {
        return phase == null ? null : phase.wireName();
    }

    @Override
    public ClusterPhase convertToEntityAttribute(String wireName) {
        return wireName == null ? null : ClusterPhase.fromWireName(wireName);
    }
}
