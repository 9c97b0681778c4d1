package dev.kubeyard.health.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The body of Alertmanager's API v2 {@code POST /api/v2/alerts}: a list with one alert ({@code labels},
 * {@code annotations}, {@code startsAt}, {@code endsAt}). A firing alert (first notice or refresh) ends
 * {@value #VALIDITY_MULTIPLIER} resend intervals from now, as Prometheus sends them: Alertmanager keeps it firing only
 * while Kubeyard keeps refreshing it, and resolves it by itself if Kubeyard goes silent. A resolved alert ends when it
 * resolved. No {@code generatorURL}: Kubeyard has no configured console address to link to yet.
 */
final class AlertmanagerPayload {

    /** Prometheus' factor: an alert sent every resend interval stays valid for four of them. */
    static final int VALIDITY_MULTIPLIER = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NOT_A_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

    private AlertmanagerPayload() {}

    static String body(AlertNotice alert, DeliveryKind kind, Instant now, Duration resendInterval) {
        ObjectNode a = JSON.createObjectNode();
        ObjectNode labels = a.putObject("labels");
        labels(alert).forEach(labels::put);
        ObjectNode annotations = a.putObject("annotations");
        annotations.put("summary", alert.summary());
        annotations.put("description", alert.description());
        a.put("startsAt", alert.startedAt().toString());
        a.put("endsAt", endsAt(alert, kind, now, resendInterval).toString());
        ArrayNode list = JSON.createArrayNode().add(a);
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an Alertmanager alert as JSON", e);
        }
    }

    static Instant endsAt(AlertNotice alert, DeliveryKind kind, Instant now, Duration resendInterval) {
        return switch (kind) {
            case FIRING, REFRESH -> now.plus(resendInterval.multipliedBy(VALIDITY_MULTIPLIER));
            case RESOLVED -> alert.resolvedAt().orElse(now);
        };
    }

    /**
     * The alert's labels, with {@code alertname}, {@code cluster} and {@code severity} always Kubeyard's own, and
     * {@code check}, {@code subject}, {@code team} added where the alert's labels lack them. Names Alertmanager would
     * refuse (it accepts {@code [a-zA-Z_][a-zA-Z0-9_]*}, and one bad label refuses the whole request) are rewritten
     * with {@code _}, as Prometheus does; empty values are left out, as Alertmanager treats them as absent.
     */
    static Map<String, String> labels(AlertNotice alert) {
        Map<String, String> out = new TreeMap<>();
        alert.labels().forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                out.put(labelName(name), value);
            }
        });
        out.put("alertname", alert.rule());
        out.put("cluster", alert.cluster());
        out.put("severity", alert.severity().wireName());
        out.putIfAbsent("check", alert.check());
        if (!alert.subject().isEmpty()) {
            out.putIfAbsent("subject", alert.subject());
        }
        alert.team().ifPresent(team -> out.putIfAbsent("team", team));
        return out;
    }

    static String labelName(String name) {
        if (LABEL_NAME.matcher(name).matches()) {
            return name;
        }
        String cleaned = NOT_A_LABEL_CHAR.matcher(name).replaceAll("_");
        return cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }
}
