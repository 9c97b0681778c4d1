package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reason words are CamelCase constants, one place, each meaning one thing. */
class HealingReasonsTest {

    static List<String> reasons() {
        return Arrays.stream(HealingReasons.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(HealingReasonsTest::value)
                .toList();
    }

    static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyReasonIsACamelCaseWordAndNoneRepeats() {
        assertThat(reasons()).isNotEmpty().allMatch(r -> r.matches("[A-Z][a-z]+([A-Z][a-z]*)*"), "CamelCase");
        assertThat(reasons()).doesNotHaveDuplicates();
    }

    @Test
    void everyDayTwoOperationHasItsReason() {
        assertThat(Arrays.stream(DayTwoOperation.values()).map(DayTwoOperation::reason))
                .allMatch(reasons()::contains);
    }
}
