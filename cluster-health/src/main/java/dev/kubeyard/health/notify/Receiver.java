package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.control.HealthConfig;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * A configured receiver, checked: its type known, its URL an http(s) URL, its least severity a severity. Its URL and
 * token are secrets (a Slack webhook's path is its credential): {@link #toString()} names the receiver and its type
 * only, and no message made here quotes either.
 */
public final class Receiver {

    private final String name;
    private final ReceiverType type;
    private final HttpUrl endpoint;
    private final String bearerToken;
    private final boolean sendResolved;
    private final Severity minSeverity;

    Receiver(
            String name,
            ReceiverType type,
            HttpUrl endpoint,
            Optional<String> bearerToken,
            boolean sendResolved,
            Severity minSeverity) {
        this.name = name;
        this.type = type;
        this.endpoint = endpoint;
        this.bearerToken = bearerToken.filter(t -> !t.isBlank()).orElse(null);
        this.sendResolved = sendResolved;
        this.minSeverity = minSeverity;
    }

    /**
     * Checks one receiver's settings. The message of the exception names the receiver's key and what is wrong, never
     * the URL or the token.
     *
     * @throws IllegalArgumentException when the type, URL or least severity is not one Kubeyard can use
     */
    public static Receiver from(String name, HealthConfig.Receiver config) {
        String key = "kubeyard.health.receivers." + name;
        ReceiverType type;
        try {
            type = ReceiverType.of(config.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    key + ".type: unknown receiver type '" + config.type().trim() + "' (alertmanager or slack)", e);
        }
        String url = config.url() == null ? "" : config.url().trim();
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            // HttpUrl.parse takes http and https only. The value is not quoted: it may carry a credential.
            throw new IllegalArgumentException(key + ".url is not an http or https URL (its value is not shown)");
        }
        Severity min;
        try {
            min = Severity.fromWireName(config.minSeverity().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    key + ".min-severity: '" + config.minSeverity() + "' is not info, warning or critical", e);
        }
        HttpUrl endpoint =
                switch (type) {
                    case ALERTMANAGER -> alertsEndpoint(parsed);
                    case SLACK -> parsed;
                };
        return new Receiver(name, type, endpoint, config.bearerToken(), config.sendResolved(), min);
    }

    /** Alertmanager's {@code /api/v2/alerts} below its base URL, which may have a path prefix of its own. */
    static HttpUrl alertsEndpoint(HttpUrl base) {
        HttpUrl.Builder b = base.newBuilder().query(null).fragment(null);
        // A base ending with "/" has an empty last segment: drop it so that the path has no "//".
        if (base.pathSegments().getLast().isEmpty()) {
            b.removePathSegment(base.pathSize() - 1);
        }
        return b.addPathSegments("api/v2/alerts").build();
    }

    /** Whether this receiver takes a notification of this kind about an alert of this severity. */
    boolean wants(Severity severity, DeliveryKind kind) {
        return wants(type, minSeverity, sendResolved, severity, kind);
    }

    /**
     * Who wants what: an alert below a receiver's least severity goes nowhere; a resolution only where resolved
     * alerts are wanted; a refresh only to Alertmanager (which forgets an alert it is not told about again, where a
     * chat receiver would only repeat the first message).
     */
    static boolean wants(
            ReceiverType type, Severity minSeverity, boolean sendResolved, Severity severity, DeliveryKind kind) {
        if (severity.compareTo(minSeverity) < 0) {
            return false;
        }
        return switch (kind) {
            case FIRING -> true;
            case RESOLVED -> sendResolved;
            case REFRESH -> type == ReceiverType.ALERTMANAGER;
        };
    }

    public String name() {
        return name;
    }

    public ReceiverType type() {
        return type;
    }

    public boolean sendResolved() {
        return sendResolved;
    }

    public Severity minSeverity() {
        return minSeverity;
    }

    /** Where a delivery is posted. A secret: never logged or stored. */
    HttpUrl endpoint() {
        return endpoint;
    }

    /** A secret: only ever put in the {@code Authorization} header. */
    Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    @Override
    public String toString() {
        return "Receiver[" + name + ", " + type.name().toLowerCase(Locale.ROOT) + "]";
    }
}
