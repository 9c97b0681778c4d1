package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.health.alert.Severity;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    @Test
    void firingAlertIsOneReadableLineAndItsDescription() throws Exception {
        String body = SlackMessage.body(Alerts.unreachable(), DeliveryKind.FIRING);

        assertThat(new ObjectMapper().readTree(body).get("text").asText())
                .isEqualTo("[FIRING] critical ClusterUnreachable on cluster payments-eu: The API of cluster"
                        + " payments-eu has not answered for 3m\n3 probes in a row failed: connection refused.");
        assertThat(new ObjectMapper().readTree(body).size()).as("text only").isEqualTo(1);
    }

    @Test
    void resolvedAlertSaysResolved() {
        String text = SlackMessage.text(Alerts.resolved(Alerts.unreachable(), Alerts.NOW), DeliveryKind.RESOLVED);

        assertThat(text).startsWith("[RESOLVED] critical ClusterUnreachable on cluster payments-eu: ");
        assertThat(text).endsWith("Resolved: the API answers again.");
    }

    @Test
    void subjectIsNamedAndMarkupCharactersAreEscaped() {
        AlertNotice a = new AlertNotice(
                3,
                "CertificateExpiring",
                Severity.WARNING,
                "shop-us",
                Optional.empty(),
                "certificates",
                "kube-apiserver",
                true,
                "Certificate <serving> expires in 6 days & counting",
                "",
                Map.of(),
                Alerts.STARTED,
                Optional.empty());

        assertThat(SlackMessage.text(a, DeliveryKind.FIRING))
                .isEqualTo("[FIRING] warning CertificateExpiring on cluster shop-us (kube-apiserver): Certificate"
                        + " &lt;serving&gt; expires in 6 days &amp; counting");
    }

    @Test
    void refreshIsNeverASlackMessage() {
        assertThatThrownBy(() -> SlackMessage.body(Alerts.unreachable(), DeliveryKind.REFRESH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
