package dev.kubeyard.serviceboard.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.serviceboard.record.BoardQuery.BadQuery;
import dev.kubeyard.serviceboard.record.BoardQuery.LabelRequirement;
import dev.kubeyard.serviceboard.record.BoardQuery.Position;
import dev.kubeyard.serviceboard.record.BoardQuery.Sort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoardQueryTest {

    @Test
    void aLabelSelectorHasEqualityInequalityExistenceAndAbsence() {
        assertThat(LabelRequirement.parse("app=web, tier!=cache,canary,!legacy,app.kubernetes.io/name==shop"))
                .containsExactly(
                        new LabelRequirement("app", Optional.of("web"), false),
                        new LabelRequirement("tier", Optional.of("cache"), true),
                        new LabelRequirement("canary", Optional.empty(), false),
                        new LabelRequirement("legacy", Optional.empty(), true),
                        new LabelRequirement("app.kubernetes.io/name", Optional.of("shop"), false));
        assertThat(LabelRequirement.parse("  ")).isEmpty();
    }

    @Test
    void aSelectorWithoutAKeyOrWithABadValueIsRefusedNamingTheLabelParameter() {
        for (String bad : List.of("=web", "app=we b", "-app", "app=" + "x".repeat(64))) {
            assertThatThrownBy(() -> LabelRequirement.parse(bad))
                    .isInstanceOf(BadQuery.class)
                    .extracting(e -> ((BadQuery) e).field())
                    .isEqualTo("label");
        }
    }

    @Test
    void aCursorComesBackAsThePositionItWasMadeFrom() {
        Position p = new Position(Sort.UPDATED_AT, true, List.of("2026-12-01T10:00:00.123456Z", "c-1", "ns", "web"));
        assertThat(Position.ofCursor(p.cursor())).isEqualTo(p);
    }

    @Test
    void aForeignOrTruncatedCursorIsRefusedNamingTheCursorParameter() {
        String good = new Position(Sort.NAME, false, List.of("web", "c-1", "ns")).cursor();
        for (String bad : List.of("%%%", "dGVzdA", good.substring(0, good.length() - 6))) {
            assertThatThrownBy(() -> Position.ofCursor(bad))
                    .isInstanceOf(BadQuery.class)
                    .extracting(e -> ((BadQuery) e).field())
                    .isEqualTo("cursor");
        }
    }

    @Test
    void aCursorOfAnotherOrderOrDirectionIsRefused() {
        Position byName = new Position(Sort.NAME, false, List.of("web", "c-1", "ns"));
        assertThatThrownBy(() -> query(Sort.CLUSTER, false, byName)).isInstanceOf(BadQuery.class);
        assertThatThrownBy(() -> query(Sort.NAME, true, byName)).isInstanceOf(BadQuery.class);
        assertThat(query(Sort.NAME, false, byName).after()).contains(byName);
    }

    @Test
    void aPageHoldsOneToFiveHundredServices() {
        assertThatThrownBy(() -> limit(0)).isInstanceOf(BadQuery.class);
        assertThatThrownBy(() -> limit(501)).isInstanceOf(BadQuery.class);
        assertThat(limit(500).limit()).isEqualTo(500);
    }

    @Test
    void likeCharactersInASearchAreTakenLiterally() {
        assertThat(BoardSearch.contains(" Web_100% ")).isEqualTo("%web\\_100\\%%");
    }

    static BoardQuery query(Sort sort, boolean desc, Position after) {
        return BoardQuery.all(Optional.empty()).page(sort, desc, 50, Optional.of(after));
    }

    static BoardQuery limit(int limit) {
        return BoardQuery.all(Optional.empty()).page(Sort.STATUS, false, limit, Optional.empty());
    }
}
