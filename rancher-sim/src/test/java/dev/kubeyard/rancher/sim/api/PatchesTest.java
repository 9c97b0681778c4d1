package dev.kubeyard.rancher.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Merge patch (RFC 7386) and JSON patch (RFC 6902) as Kubernetes applies them to custom resources. */
class PatchesTest {

    private static final JsonNode TARGET = parse("{'metadata':{'labels':{'a':'1','b':'2'}},"
            + "'spec':{'pools':[{'name':'w','quantity':2}],'version':'v1'}}");

    @Test
    void mergePatchMergesObjectsReplacesArraysAndRemovesNulls() {
        JsonNode out = Patches.apply(
                Patches.MERGE, TARGET, parse("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'pools':[]}}"));

        assertThat(out.at("/metadata/labels").toString()).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
        assertThat(out.at("/spec/pools").size()).isZero();
        assertThat(out.at("/spec/version").asText()).isEqualTo("v1");
        assertThat(TARGET.at("/metadata/labels/a").asText())
                .as("the target is not changed")
                .isEqualTo("1");
    }

    @Test
    void jsonPatchAppliesEachOperation() {
        JsonNode out = Patches.apply(
                Patches.JSON_PATCH + "; charset=utf-8",
                TARGET,
                parse("[{'op':'test','path':'/spec/version','value':'v1'},"
                        + "{'op':'replace','path':'/spec/pools/0/quantity','value':5},"
                        + "{'op':'add','path':'/spec/pools/-','value':{'name':'x'}},"
                        + "{'op':'remove','path':'/metadata/labels/b'},"
                        + "{'op':'copy','from':'/spec/version','path':'/spec/previous'},"
                        + "{'op':'move','from':'/metadata/labels/a','path':'/metadata/labels/z'},"
                        + "{'op':'add','path':'/metadata/labels/rke.cattle.io~1role','value':'w'}]"));

        assertThat(out.at("/spec/pools/0/quantity").asInt()).isEqualTo(5);
        assertThat(out.at("/spec/pools/1/name").asText()).isEqualTo("x");
        assertThat(out.at("/spec/previous").asText()).isEqualTo("v1");
        assertThat(out.at("/metadata/labels").toString()).isEqualTo("{\"z\":\"1\",\"rke.cattle.io/role\":\"w\"}");
    }

    @Test
    void failedTestOperationAndMissingPathAreInvalid() {
        assertThatThrownBy(() -> Patches.apply(
                        Patches.JSON_PATCH, TARGET, parse("[{'op':'test','path':'/spec/version','value':'v2'}]")))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThatThrownBy(() -> Patches.apply(
                        Patches.JSON_PATCH, TARGET, parse("[{'op':'replace','path':'/spec/nothing','value':1}]")))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void strategicMergePatchIsUnsupportedMediaType() {
        assertThatThrownBy(() -> Patches.apply("application/strategic-merge-patch+json", TARGET, parse("{}")))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.code()).isEqualTo("UnsupportedMediaType");
                });
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
