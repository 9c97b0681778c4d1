package dev.kubeyard.inventory.operation;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

@Converter(autoApply = true)
public class OperationStateConverter implements AttributeConverter<OperationState, String> {

    @Override
    public String convertToDatabaseColumn(OperationState state) {
        return state == null ? null : state.wireName();
    }

    @Override
    public OperationState convertToEntityAttribute(String wireName) {
        return wireName == null ? null : OperationState.fromWireName(wireName);
    }
}
