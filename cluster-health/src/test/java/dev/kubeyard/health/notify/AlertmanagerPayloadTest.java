package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.health.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertmanagerPayloadTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration RESEND = Duration.ofMinutes(1);

    static JsonNode parse(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void firingAlertIsAListOfOneAlertValidForFourResendIntervals() throws Exception {
        JsonNode body = parse(AlertmanagerPayload.body(Alerts.unreachable(), DeliveryKind.FIRING, Alerts.NOW, RESEND));

        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        JsonNode alert = body.get(0);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ClusterUnreachable");
        assertThat(alert.get("labels").get("cluster").asText()).isEqualTo("payments-eu");
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("labels").get("check").asText()).isEqualTo("api");
        assertThat(alert.get("labels").get("team").asText()).isEqualTo("payments");
        assertThat(alert.get("labels").has("subject"))
                .as("no subject, no label")
                .isFalse();
        assertThat(alert.get("annotations").get("summary").asText())
                .isEqualTo("The API of cluster payments-eu has not answered for 3m");
        assertThat(alert.get("annotations").get("description").asText())
                .isEqualTo("3 probes in a row failed: connection refused.");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-03-02T10:15:30Z");
        assertThat(Instant.parse(alert.get("endsAt").asText())).isEqualTo(Alerts.NOW.plus(Duration.ofMinutes(4)));
        assertThat(alert.has("generatorURL"))
                .as("no console address is configured")
                .isFalse();
    }

    @Test
    void refreshMovesTheEndFromTheTimeItIsSent() throws Exception {
        Instant later = Alerts.NOW.plus(Duration.ofMinutes(7));
        JsonNode alert = parse(AlertmanagerPayload.body(Alerts.unreachable(), DeliveryKind.REFRESH, later, RESEND))
                .get(0);

        assertThat(alert.get("startsAt").asText())
                .as("the alert's start never moves")
                .isEqualTo("2026-03-02T10:15:30Z");
        assertThat(Instant.parse(alert.get("endsAt").asText())).isEqualTo(later.plus(Duration.ofMinutes(4)));
    }

    @Test
    void resolvedAlertEndsWhenItResolved() throws Exception {
        Instant resolvedAt = Alerts.NOW.minusSeconds(30);
        AlertNotice resolved = Alerts.resolved(Alerts.unreachable(), resolvedAt);
        JsonNode alert = parse(AlertmanagerPayload.body(resolved, DeliveryKind.RESOLVED, Alerts.NOW, RESEND))
                .get(0);

        assertThat(Instant.parse(alert.get("endsAt").asText())).isEqualTo(resolvedAt);
        assertThat(alert.get("annotations").get("description").asText()).endsWith("Resolved: the API answers again.");
    }

    @Test
    void kubeyardsOwnLabelsWinAndTheAlertsOthersAreKeptWithNamesAlertmanagerTakes() {
        AlertNotice a = new AlertNotice(
                7,
                "NodeNotReady",
                Severity.WARNING,
                "shop-us",
                Optional.empty(),
                "nodes",
                "worker-3",
                true,
                "Node worker-3 is NotReady",
                "",
                Map.of(
                        "alertname", "SomethingElse",
                        "severity", "info",
                        "app.kubernetes.io/part-of", "shop",
                        "3rd", "x",
                        "empty", ""),
                Alerts.STARTED,
                Optional.empty());

        assertThat(AlertmanagerPayload.labels(a))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "alertname", "NodeNotReady",
                        "cluster", "shop-us",
                        "severity", "warning",
                        "check", "nodes",
                        "subject", "worker-3",
                        "app_kubernetes_io_part_of", "shop",
                        "_3rd", "x"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "cluster, cluster",
        "_private, _private",
        "app.kubernetes.io/name, app_kubernetes_io_name",
        "9lives, _9lives",
        "team-name, team_name",
    })
    void labelNamesAreWhatAlertmanagerAccepts(String name, String expected) {
        assertThat(AlertmanagerPayload.labelName(name)).isEqualTo(expected);
    }
}
