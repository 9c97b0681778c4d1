package dev.kubeyard.inventory.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.team.Team;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OperationTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Operation pending() {
        ManagedCluster cluster = new ManagedCluster("demo", new Team("payments", null), "v1.31.4+rke2r1");
        return new Operation(
                UUID.randomUUID(), cluster, "UpgradeKubernetes", Map.of("to", "v1.32.1"), "alice", "corr-1", "key-1");
    }

    private static Operation running() {
        Operation operation = pending();
        operation.start(NOW);
        return operation;
    }

    private static Operation succeeded() {
        Operation operation = running();
        operation.succeed(Map.of(), NOW);
        return operation;
    }

    private static Operation failed() {
        Operation operation = running();
        operation.fail("Rancher refused the upgrade", NOW);
        return operation;
    }

    static Stream<Arguments> forbiddenMoves() {
        Consumer<Operation> start = op -> op.start(NOW);
        Consumer<Operation> succeed = op -> op.succeed(Map.of(), NOW);
        Consumer<Operation> fail = op -> op.fail("boom", NOW);
        Consumer<Operation> cancel = op -> op.cancel("user", NOW);
        return Stream.of(
                Arguments.of("a pending operation cannot succeed without running", pending(), succeed),
                Arguments.of("a running operation cannot start again", running(), start),
                Arguments.of("a succeeded operation cannot fail", succeeded(), fail),
                Arguments.of("a succeeded operation cannot be cancelled", succeeded(), cancel),
                Arguments.of("a failed operation cannot restart", failed(), start),
                Arguments.of("a failed operation cannot succeed", failed(), succeed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenMoves")
    void refusesMovesTheStateMachineForbids(String rule, Operation operation, Consumer<Operation> move) {
        OperationState before = operation.getState();

        assertThatThrownBy(() -> move.accept(operation)).isInstanceOf(IllegalStateException.class);
        assertThat(operation.getState()).as(rule).isEqualTo(before);
    }

    @Test
    void terminalStatesHaveNoSuccessors() {
        for (OperationState state : OperationState.values()) {
            assertThat(state.successors().isEmpty()).as(state.wireName()).isEqualTo(state.isTerminal());
        }
        assertThat(EnumSet.allOf(OperationState.class))
                .allSatisfy(s ->
                        assertThat(OperationState.fromWireName(s.wireName())).isEqualTo(s));
    }

    @Test
    void progressNeverGoesBackAndSuccessMeansAHundred() {
        Operation operation = running();
        operation.reportProgress(60);
        operation.reportProgress(40);

        assertThat(operation.getProgress()).isEqualTo(60);

        operation.succeed(Map.of("snapshot", "etcd-snapshot-1"), NOW.plusSeconds(30));

        assertThat(operation.getProgress()).isEqualTo(100);
        assertThat(operation.getFinishedAt()).contains(NOW.plusSeconds(30));
        assertThat(operation.getResult()).contains(Map.of("snapshot", "etcd-snapshot-1"));
    }

    @Test
    void progressIsOnlyReportedWhileRunning() {
        assertThatThrownBy(() -> pending().reportProgress(10)).isInstanceOf(IllegalStateException.class);
    }
}
