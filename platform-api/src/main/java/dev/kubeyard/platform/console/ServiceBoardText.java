package dev.kubeyard.platform.console;

import dev.kubeyard.platform.board.BoardViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the service board's pages put a service's ports, pods, images and labels into words. */
final class ServiceBoardText {

    /** How many hex digits of an image digest the table shows. */
    static final int DIGEST_DIGITS = 12;

    private ServiceBoardText() {}

    /**
     * A port as kubectl writes it, with the target port after an arrow when it differs: {@code 80/TCP}, {@code
     * 80→8080/TCP}, {@code 443:30443→https/TCP} (30443 the node port).
     */
    static String port(BoardViews.Port p) {
        StringBuilder out = new StringBuilder().append(p.port());
        if (p.nodePort() != null) {
            out.append(':').append(p.nodePort());
        }
        if (p.targetPort() != null
                && !p.targetPort().isEmpty()
                && !p.targetPort().equals(Integer.toString(p.port()))) {
            out.append('→').append(p.targetPort());
        }
        return out.append('/')
                .append(p.protocol() == null ? "TCP" : p.protocol())
                .toString();
    }

    /** "2/3 ready"; "no pods" when none runs. */
    static String pods(BoardViews.Pods pods) {
        return pods.total() == 0 ? "no pods" : pods.ready() + "/" + pods.total() + " ready";
    }

    /** The phases that have pods, in the lifecycle's order: "2 Running, 1 Pending"; "no pods" when none runs. */
    static String phases(BoardViews.Pods pods) {
        List<String> parts = new ArrayList<>();
        phase(parts, pods.running(), "Running");
        phase(parts, pods.pending(), "Pending");
        phase(parts, pods.succeeded(), "Succeeded");
        phase(parts, pods.failed(), "Failed");
        phase(parts, pods.unknown(), "Unknown");
        return parts.isEmpty() ? "no pods" : String.join(", ", parts);
    }

    private static void phase(List<String> parts, int count, String phase) {
        if (count > 0) {
            parts.add(count + " " + phase);
        }
    }

    /**
     * An image as the table shows it: its last path segment with the tag, and a digest cut to {@value
     * #DIGEST_DIGITS} digits ({@code registry.example.com/shop/checkout:2.4.1} is {@code checkout:2.4.1}).
     */
    static String image(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        int at = last.indexOf("@sha256:");
        if (at >= 0 && last.length() > at + "@sha256:".length() + DIGEST_DIGITS) {
            return last.substring(0, at + "@sha256:".length() + DIGEST_DIGITS);
        }
        return last;
    }

    /** The labels as {@code key=value}, in key order. */
    static List<String> labels(Map<String, String> labels) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(labels == null ? Map.<String, String>of() : labels).forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
