package dev.kubeyard.rancher.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Steve's filter, sort and paging parameters. */
class ListQueryTest {

    private static final JsonNode MACHINE = parse("{'id':'fleet-default/m1','metadata':{'name':'m1',"
            + "'labels':{'rke.cattle.io/rke-machine-pool-name':'workers'},'state':{'name':'running'}},"
            + "'spec':{'clusterName':'c1'},'status':{'replicas':3}}");

    static Stream<Arguments> filters() {
        return Stream.of(
                arguments("equality", List.of("spec.clusterName=c1"), true),
                arguments("double equals", List.of("spec.clusterName==c1"), true),
                arguments("equality mismatch", List.of("spec.clusterName=c2"), false),
                arguments(
                        "label in brackets",
                        List.of("metadata.labels[rke.cattle.io/rke-machine-pool-name]=workers"),
                        true),
                arguments("label exists", List.of("metadata.labels[rke.cattle.io/rke-machine-pool-name]"), true),
                arguments("label does not exist", List.of("!metadata.labels[other]"), true),
                arguments("not equal", List.of("spec.clusterName!=c2"), true),
                arguments("substring", List.of("metadata.name~m"), true),
                arguments("not substring", List.of("metadata.name!~m"), false),
                arguments("in set", List.of("spec.clusterName in (c0,c1)"), true),
                arguments("not in set", List.of("spec.clusterName notin (c0,c1)"), false),
                arguments("comma is OR", List.of("spec.clusterName=c2,metadata.name=m1"), true),
                arguments("repeated filter is AND", List.of("spec.clusterName=c1", "metadata.name=m2"), false),
                arguments("greater than is numeric", List.of("status.replicas>2"), true),
                arguments("less than is numeric", List.of("status.replicas<10"), true),
                arguments("state name", List.of("metadata.state.name=running"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filterMatchesLikeSteve(String rule, List<String> filter, boolean matches) {
        ListQuery q = ListQuery.parse(Map.of("filter", filter));

        assertThat(q.matches(MACHINE)).isEqualTo(matches);
    }

    @Test
    void sortByFieldPathWithMinusForDescending() {
        List<ObjectNode> objects = new ArrayList<>();
        for (String n : List.of("b", "c", "a")) {
            objects.add((ObjectNode) parse("{'metadata':{'name':'" + n + "'}}"));
        }

        ListQuery.parse(Map.of("sort", List.of("-metadata.name"))).sort(objects);

        assertThat(objects).extracting(o -> o.at("/metadata/name").asText()).containsExactly("c", "b", "a");
    }

    @Test
    void continueTokenRoundTripsAndPageComputesTheOffset() {
        String token = ListQuery.encodeContinue(40);

        assertThat(ListQuery.parse(Map.of("limit", List.of("20"), "continue", List.of(token)))
                        .offset())
                .isEqualTo(40);
        ListQuery paged = ListQuery.parse(Map.of("pagesize", List.of("25"), "page", List.of("3")));
        assertThat(paged.offset()).isEqualTo(50);
        assertThat(paged.pageSize()).isEqualTo(25);
        assertThatThrownBy(() -> ListQuery.parse(Map.of("continue", List.of("garbage!"))))
                .isInstanceOf(ApiError.class);
    }

    @Test
    void equalityHintIsOnlyGivenForASinglePositiveTerm() {
        assertThat(ListQuery.parse(Map.of("filter", List.of("spec.clusterName=c1")))
                        .equalityOn("spec.clusterName"))
                .isEqualTo("c1");
        assertThat(ListQuery.parse(Map.of("filter", List.of("spec.clusterName=c1,spec.clusterName=c2")))
                        .equalityOn("spec.clusterName"))
                .isNull();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
