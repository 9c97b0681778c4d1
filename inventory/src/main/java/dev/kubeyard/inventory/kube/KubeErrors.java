package dev.kubeyard.inventory.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A cluster API's error in a few words, for logs and for what users are shown (the service board, the mirror). */
public final class KubeErrors {

    private KubeErrors() {}

    /** The HTTP status and the API's (or Rancher's proxy's) message, or the cause's first line. */
    public static String describe(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                // fabric8 keeps a plain-text body (Rancher's "dial tcp ...: connection refused") only in its
                // message, after "Message: "; the status it makes of it has the reason phrase alone.
                String message = k.getMessage();
                int at = message == null ? -1 : message.indexOf("Message: ");
                if (at >= 0) {
                    message = message.substring(at + "Message: ".length());
                    int end = message.indexOf(". Received status");
                    message = end >= 0 ? message.substring(0, end) : message;
                } else {
                    message = k.getStatus() != null ? k.getStatus().getMessage() : null;
                }
                return "HTTP " + k.getCode() + (message == null || message.isBlank() ? "" : ": " + firstLine(message));
            }
        }
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
            t = t.getCause();
        }
        return firstLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** The first line of a message, stripped. */
    public static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
