package dev.kubeyard.health.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of a Slack-style incoming webhook: {@code {"text": ...}}, one readable line ({@code [FIRING] critical
 * ClusterUnreachable on cluster payments-eu: summary}) and the description below it. Slack reads {@code &}, {@code <}
 * and {@code >} as markup, so they are escaped. A refresh is never sent to Slack (it would repeat the first message).
 */
final class SlackMessage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessage() {}

    static String body(AlertNotice alert, DeliveryKind kind) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", text(alert, kind));
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message as JSON", e);
        }
    }

    static String text(AlertNotice alert, DeliveryKind kind) {
        String tag =
                switch (kind) {
                    case FIRING -> "[FIRING]";
                    case RESOLVED -> "[RESOLVED]";
                    case REFRESH -> throw new IllegalArgumentException("a refresh is not sent to a Slack receiver");
                };
        StringBuilder line = new StringBuilder()
                .append(tag)
                .append(' ')
                .append(alert.severity().wireName())
                .append(' ')
                .append(alert.rule())
                .append(" on cluster ")
                .append(alert.cluster());
        if (!alert.subject().isEmpty()) {
            line.append(" (").append(alert.subject()).append(')');
        }
        line.append(": ").append(alert.summary());
        if (!alert.description().isBlank()) {
            line.append('\n').append(alert.description());
        }
        return escape(line.toString());
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
