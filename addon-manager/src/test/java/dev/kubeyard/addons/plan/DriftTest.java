package dev.kubeyard.addons.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DriftTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void fieldsTheServerAddedAreNotDrift() {
        JsonNode applied =
                json("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'a','image':'x:1'}]}}}}");
        JsonNode live = json("{'spec':{'replicas':2,'progressDeadlineSeconds':600,'template':{'spec':{'containers':"
                + "[{'name':'a','image':'x:1','imagePullPolicy':'IfNotPresent'}]}}},'status':{'readyReplicas':2}}");
        assertThat(Drift.difference(applied, live)).isEmpty();
    }

    @Test
    void aChangedValueIsDriftAtItsPath() {
        JsonNode applied =
                json("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'a','image':'x:1'}]}}}}");
        JsonNode live = json("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'a','image':'x:2'}]}}}}");
        assertThat(Drift.difference(applied, live)).contains("/spec/template/spec/containers/0/image");
    }

    @Test
    void aMissingFieldOrAListOfAnotherLengthIsDrift() {
        assertThat(Drift.difference(json("{'data':{'a':'1','b':'2'}}"), json("{'data':{'a':'1'}}")))
                .contains("/data/b");
        assertThat(Drift.difference(json("{'ports':[{'port':80}]}"), json("{'ports':[{'port':80},{'port':81}]}")))
                .contains("/ports");
    }

    @Test
    void numbersCompareByValueAndTypesMatter() {
        assertThat(Drift.difference(json("{'a':1}"), json("{'a':1.0}"))).isEmpty();
        assertThat(Drift.difference(json("{'a':'1'}"), json("{'a':1}"))).contains("/a");
        assertThat(Drift.difference(json("{'a':true}"), json("{'a':'true'}"))).contains("/a");
    }

    @Test
    void theAppliedStatusIsNeverCompared() {
        assertThat(Drift.difference(json("{'status':{'x':1}}"), json("{'status':{'x':2}}")))
                .isEmpty();
    }
}
