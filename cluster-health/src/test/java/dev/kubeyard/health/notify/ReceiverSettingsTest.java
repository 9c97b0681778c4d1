package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.control.HealthConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The receivers' settings are checked at start-up, and a bad one stops it with a message that keeps secrets. */
class ReceiverSettingsTest {

    static final String SLACK_URL = "https://hooks.slack.example/services/T000/B000/webhook-secret-part";
    static final String TOKEN = "am-bearer-token-value";

    @Test
    void validReceiversAreReadWithTheirDefaults() {
        Map<String, Receiver> receivers = Receivers.check(
                Map.of(
                        "ops-am",
                        new Alerts.ReceiverSettings(
                                "alertmanager", "http://am.example:9093", Optional.of(TOKEN), true, "warning"),
                        "team-slack",
                        Alerts.ReceiverSettings.of("Slack", SLACK_URL)),
                Alerts.DeliverySettings.defaults());

        Receiver am = receivers.get("ops-am");
        assertThat(am.type()).isEqualTo(ReceiverType.ALERTMANAGER);
        assertThat(am.endpoint().toString()).isEqualTo("http://am.example:9093/api/v2/alerts");
        assertThat(am.bearerToken()).contains(TOKEN);
        assertThat(am.minSeverity()).isEqualTo(Severity.WARNING);
        Receiver slack = receivers.get("team-slack");
        assertThat(slack.type()).isEqualTo(ReceiverType.SLACK);
        assertThat(slack.endpoint().toString()).isEqualTo(SLACK_URL);
        assertThat(slack.bearerToken()).isEmpty();
        assertThat(slack.minSeverity()).isEqualTo(Severity.INFO);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://am:9093, http://am:9093/api/v2/alerts",
        "http://am:9093/, http://am:9093/api/v2/alerts",
        "https://ops.example/alertmanager, https://ops.example/alertmanager/api/v2/alerts",
        "https://ops.example/alertmanager/, https://ops.example/alertmanager/api/v2/alerts",
    })
    void alertmanagerIsPostedToItsAlertsApiBelowItsBaseUrl(String base, String expected) {
        assertThat(Receiver.alertsEndpoint(HttpUrl.get(base)).toString()).isEqualTo(expected);
    }

    @Test
    void unknownTypeStopsTheStartNamingTheReceiver() {
        assertThatThrownBy(() -> Receivers.check(
                        Map.of("pager", Alerts.ReceiverSettings.of("pagerduty", SLACK_URL)),
                        Alerts.DeliverySettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kubeyard.health.receivers.pager.type: unknown receiver type 'pagerduty'")
                .hasMessageNotContaining("webhook-secret-part");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ftp://files.example/hook-secret-part",
        "hooks.slack.example/services/hook-secret-part",
        "'  '",
        "mailto:ops@hook-secret-part.example",
    })
    void urlThatIsNotHttpStopsTheStartNamingTheReceiverButNotTheUrl(String url) {
        assertThatThrownBy(() -> Receivers.check(
                        Map.of("team-slack", Alerts.ReceiverSettings.of("slack", url)),
                        Alerts.DeliverySettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kubeyard.health.receivers.team-slack.url is not an http or https URL")
                .hasMessageNotContaining("hook-secret-part");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        HealthConfig.Delivery bad = new Alerts.DeliverySettings(
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofHours(24),
                Duration.ofMinutes(1),
                0);

        assertThatThrownBy(() -> Receivers.check(
                        Map.of(
                                "a",
                                Alerts.ReceiverSettings.of("webex", "http://a.example"),
                                "b",
                                new Alerts.ReceiverSettings(
                                        "slack", "http://b.example", Optional.empty(), true, "urgent")),
                        bad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kubeyard.health.delivery.timeout must be positive")
                .hasMessageContaining("kubeyard.health.delivery.backoff-max must not be less than backoff-initial")
                .hasMessageContaining("kubeyard.health.delivery.batch must be at least 1")
                .hasMessageContaining("kubeyard.health.receivers.a.type")
                .hasMessageContaining("kubeyard.health.receivers.b.min-severity: 'urgent'");
    }

    @Test
    void receiverNeverShowsItsUrlOrToken() {
        Receiver am = Receiver.from(
                "ops-am", new Alerts.ReceiverSettings("alertmanager", SLACK_URL, Optional.of(TOKEN), true, "info"));

        assertThat(am.toString()).isEqualTo("Receiver[ops-am, alertmanager]");
    }

    @Test
    void anOpenCircuitWaitsTwiceTheFirstBackOffAtMostTheLargest() {
        assertThat(Receivers.circuitDelay(Alerts.DeliverySettings.defaults())).isEqualTo(Duration.ofSeconds(10));
        Alerts.DeliverySettings d = Alerts.DeliverySettings.defaults();
        assertThat(Receivers.circuitDelay(new Alerts.DeliverySettings(
                        d.interval(),
                        d.timeout(),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(5),
                        d.maxAge(),
                        d.resendInterval(),
                        d.batch())))
                .isEqualTo(Duration.ofSeconds(5));
    }
}
