package dev.kubeyard.rancher.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wrangler summary rules of rancher-api.md §2.6, one named row per rule. */
class StateSummaryTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                arguments(
                        "cluster provisioning: Provisioned Unknown",
                        false,
                        "{'status':{'conditions':[{'type':'Created','status':'True'},"
                                + "{'type':'Provisioned','status':'Unknown','message':'waiting for viable init node'},"
                                + "{'type':'Updated','status':'Unknown','message':'waiting for viable init node'},"
                                + "{'type':'Ready','status':'Unknown','message':'waiting for viable init node'}]}}",
                        "provisioning",
                        true,
                        false,
                        "waiting for viable init node"),
                arguments(
                        "cluster updating: Updated Unknown after provisioning",
                        false,
                        "{'status':{'conditions':[{'type':'Provisioned','status':'True'},"
                                + "{'type':'Updated','status':'Unknown','message':'upgrading'},"
                                + "{'type':'Ready','status':'Unknown','message':'upgrading'}]}}",
                        "updating",
                        true,
                        false,
                        "upgrading"),
                arguments(
                        "cluster active: everything True",
                        false,
                        "{'status':{'conditions':[{'type':'Provisioned','status':'True'},"
                                + "{'type':'Ready','status':'True'}]}}",
                        "active",
                        false,
                        false,
                        ""),
                arguments(
                        "cluster waiting: Waiting Unknown",
                        false,
                        "{'status':{'conditions':[{'type':'Waiting','status':'Unknown','message':'agent'}]}}",
                        "waiting",
                        true,
                        false,
                        "agent"),
                arguments(
                        "Provisioned False is an error named provisioning",
                        false,
                        "{'status':{'conditions':[{'type':'Provisioned','status':'False','message':'quota'}]}}",
                        "provisioning",
                        false,
                        true,
                        "quota"),
                arguments(
                        "Ready False alone is unavailable",
                        false,
                        "{'status':{'conditions':[{'type':'Ready','status':'False','message':'agent gone'}]}}",
                        "unavailable",
                        true,
                        false,
                        "agent gone"),
                arguments(
                        "Stalled True is an error",
                        false,
                        "{'status':{'conditions':[{'type':'Stalled','status':'True','message':'stuck'}]}}",
                        "error",
                        false,
                        true,
                        "stuck"),
                arguments(
                        "deletion timestamp is removing with the finalizers",
                        false,
                        "{'metadata':{'deletionTimestamp':'2026-01-01T00:00:00Z','finalizers':['f1']},"
                                + "'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "removing",
                        true,
                        false,
                        "waiting on f1"),
                arguments(
                        "object without status is current",
                        false,
                        "{'metadata':{'name':'nc-1'},'flavorName':'m1'}",
                        "active",
                        false,
                        false,
                        "Resource is current"),
                arguments(
                        "machine Deleting True wins and a drain is Draining node",
                        true,
                        "{'status':{'phase':'Deleting','conditions':[{'type':'Ready','status':'False',"
                                + "'message':'* Deleting: x'},{'type':'Deleting','status':'True',"
                                + "'message':'Drain not completed yet (started at 2026)'}]}}",
                        "deleting",
                        true,
                        false,
                        "Draining node"),
                arguments(
                        "machine waiting for bootstrap config is waitingforinfrastructure",
                        true,
                        "{'status':{'phase':'Pending','conditions':[{'type':'Ready','status':'False',"
                                + "'message':'* BootstrapConfigReady: no data\\n* InfrastructureReady: no vm'}]}}",
                        "waitingforinfrastructure",
                        true,
                        false,
                        "no data"),
                arguments(
                        "machine waiting for infrastructure is waitingfornoderef",
                        true,
                        "{'status':{'phase':'Provisioning','conditions':[{'type':'Ready','status':'False',"
                                + "'message':'* InfrastructureReady: creating server'}]}}",
                        "waitingfornoderef",
                        true,
                        false,
                        "creating server"),
                arguments(
                        "machine with a NotReady node keeps state running",
                        true,
                        "{'status':{'phase':'Running','conditions':[{'type':'Ready','status':'False',"
                                + "'message':'* NodeHealthy: Node.Ready: Kubelet stopped posting node status.'},"
                                + "{'type':'NodeHealthy','status':'False'}]}}",
                        "running",
                        false,
                        false,
                        ""),
                arguments(
                        "machine Ready Unknown is reconciling",
                        true,
                        "{'status':{'phase':'Running','conditions':[{'type':'Ready','status':'Unknown',"
                                + "'message':'* NodeHealthy: unknown'}]}}",
                        "reconciling",
                        true,
                        false,
                        "unknown"),
                arguments(
                        "machine with a condition whose reason is Error is in error",
                        true,
                        "{'status':{'phase':'Failed','conditions':[{'type':'InfrastructureReady','status':'False',"
                                + "'reason':'Error','message':'server in ERROR state'}]}}",
                        "error",
                        false,
                        true,
                        "server in ERROR state"),
                arguments(
                        "machine Paused True is paused",
                        true,
                        "{'status':{'phase':'Running','conditions':[{'type':'Paused','status':'True'}]}}",
                        "paused",
                        true,
                        false,
                        ""),
                arguments(
                        "machine otherwise shows its phase",
                        true,
                        "{'status':{'phase':'Provisioned','conditions':[{'type':'Ready','status':'True'}]}}",
                        "provisioned",
                        false,
                        false,
                        ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void derivesTheStateRancherShows(
            String rule,
            boolean capiMachine,
            String json,
            String state,
            boolean transitioning,
            boolean error,
            String message)
            throws Exception {
        JsonNode obj = Json.MAPPER.readTree(json.replace('\'', '"'));

        StateSummary.State s = StateSummary.summarize(obj, capiMachine);

        assertThat(s.name()).isEqualTo(state);
        assertThat(s.transitioning()).as("transitioning").isEqualTo(transitioning);
        assertThat(s.error()).as("error").isEqualTo(error);
        assertThat(s.message()).isEqualTo(message);
    }

    @Test
    void normalisedConditionsCarryErrorAndTransitioningFlagsAndAnUpdateTime() throws Exception {
        ObjectNode obj = (ObjectNode) Json.MAPPER.readTree(
                ("{'status':{'conditions':[{'type':'Provisioned','status':'Unknown','lastTransitionTime':'t1'},"
                                + "{'type':'Ready','status':'Unknown','lastTransitionTime':'t2'},"
                                + "{'type':'Connected','status':'True','lastTransitionTime':'t3',"
                                + "'lastUpdateTime':'t4'}]}}")
                        .replace('\'', '"'));

        StateSummary.normalizeConditions(obj);

        JsonNode conditions = obj.at("/status/conditions");
        assertThat(conditions.get(0).path("transitioning").asBoolean()).isTrue();
        assertThat(conditions.get(0).path("error").asBoolean()).isFalse();
        assertThat(conditions.get(0).path("lastUpdateTime").asText()).isEqualTo("t1");
        assertThat(conditions.get(1).path("error").asBoolean())
                .as("Ready Unknown is an error even while only provisioning")
                .isTrue();
        assertThat(conditions.get(2).path("error").asBoolean()).isFalse();
        assertThat(conditions.get(2).path("transitioning").asBoolean()).isFalse();
        assertThat(conditions.get(2).path("lastUpdateTime").asText()).isEqualTo("t4");
    }
}
