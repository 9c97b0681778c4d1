package dev.kubeyard.health.notify;

import dev.kubeyard.health.control.HealthConfig;
import java.util.Locale;

/** The kinds of receiver Kubeyard delivers to. */
public enum ReceiverType {
    /** Alertmanager's API v2: {@code POST <url>/api/v2/alerts} with a list of alerts. */
    ALERTMANAGER,
    /** A Slack-style incoming webhook: {@code POST <url>} with {@code {"text": ...}}. */
    SLACK;

    public static ReceiverType of(HealthConfig.Receiver receiver) {
        return of(receiver.type());
    }

    public static ReceiverType of(String type) {
        try {
            return valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown receiver type '" + type + "' (alertmanager or slack)", e);
        }
    }
}
