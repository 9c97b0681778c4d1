package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.record.AlertRecord;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which receiver is sent which notification: by type, least severity and whether it wants resolved alerts. */
class WhoWantsWhatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "slack takes a firing alert,                         SLACK,        INFO,     true,  WARNING,  FIRING,   true",
        "slack never takes a refresh,                        SLACK,        INFO,     true,  CRITICAL, REFRESH,  false",
        "alertmanager takes refreshes,                       ALERTMANAGER, INFO,     true,  INFO,     REFRESH,  true",
        "a resolution goes where resolved ones are wanted,   SLACK,        INFO,     true,  CRITICAL, RESOLVED, true",
        "and nowhere else,                                   ALERTMANAGER, INFO,     false, CRITICAL, RESOLVED, false",
        "an alert below the least severity goes nowhere,     SLACK,        CRITICAL, true,  WARNING,  FIRING,   false",
        "nor does its resolution,                            SLACK,        WARNING,  true,  INFO,     RESOLVED, false",
        "nor its refresh,                                    ALERTMANAGER, CRITICAL, true,  WARNING,  REFRESH,  false",
        "the least severity itself is sent,                  ALERTMANAGER, WARNING,  true,  WARNING,  FIRING,   true",
    })
    void receiverGetsWhatItAskedFor(
            String row,
            ReceiverType type,
            Severity minSeverity,
            boolean sendResolved,
            Severity severity,
            DeliveryKind kind,
            boolean wanted) {
        assertThat(Receiver.wants(type, minSeverity, sendResolved, severity, kind))
                .as(row)
                .isEqualTo(wanted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the outbox reads the settings as written,   alertmanager, Warning, CRITICAL, REFRESH, true",
        "and a Slack receiver never gets a refresh,  Slack,        info,    CRITICAL, REFRESH, false",
        "nor what is below its least severity,       slack,        critical, WARNING, FIRING,  false",
    })
    void outboxQueuesForTheReceiversThatWantIt(
            String row, String type, String minSeverity, Severity severity, DeliveryKind kind, boolean wanted) {
        AlertRecord alert = new AlertRecord(
                "fp",
                "ClusterUnreachable",
                severity,
                "payments-eu",
                null,
                "api",
                "",
                "summary",
                "description",
                Map.of(),
                Alerts.STARTED,
                Alerts.NOW);
        Alerts.ReceiverSettings receiver =
                new Alerts.ReceiverSettings(type, "http://example.invalid", Optional.empty(), true, minSeverity);

        assertThat(AlertOutbox.wants(receiver, alert, kind)).as(row).isEqualTo(wanted);
    }
}
