package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A dead receiver is not hammered: its circuit opens, and deliveries wait without being sent or counted. */
class ReceiverCircuitTest {

    static final Duration DELAY = Duration.ofMillis(300);

    final AtomicInteger sent = new AtomicInteger();

    Runnable failing() {
        return () -> {
            sent.incrementAndGet();
            throw DeliveryFailure.answered("ops-am", 503, Optional.empty());
        };
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndThenSendsNothing() {
        ReceiverCircuit circuit = new ReceiverCircuit("ops-am", DELAY);

        for (int i = 0; i < ReceiverCircuit.WINDOW; i++) {
            assertThatThrownBy(() -> circuit.send(failing())).isInstanceOf(DeliveryFailure.class);
        }

        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        assertThat(circuit.send(failing())).as("held back, not sent").isFalse();
        assertThat(sent).hasValue(ReceiverCircuit.WINDOW);
    }

    @Test
    void oneSuccessAmongFailuresKeepsItClosed() {
        ReceiverCircuit circuit = new ReceiverCircuit("ops-am", DELAY);

        assertThatThrownBy(() -> circuit.send(failing())).isInstanceOf(DeliveryFailure.class);
        assertThatThrownBy(() -> circuit.send(failing())).isInstanceOf(DeliveryFailure.class);
        assertThat(circuit.send(sent::incrementAndGet)).isTrue();
        assertThat(circuit.send(sent::incrementAndGet)).isTrue();

        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void afterItsDelayATrialThatSucceedsClosesTheCircuit() {
        ReceiverCircuit circuit = new ReceiverCircuit("ops-am", DELAY);
        for (int i = 0; i < ReceiverCircuit.WINDOW; i++) {
            assertThatThrownBy(() -> circuit.send(failing())).isInstanceOf(DeliveryFailure.class);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> circuit.send(sent::incrementAndGet));

        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(circuit.send(sent::incrementAndGet)).isTrue();
    }
}
