package dev.kubeyard.health.check;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells the user's mistakes (a wrong image, flavor or network in the node spec, a quota the request exceeds) from the
 * platform's (the cloud without capacity or unreachable, its credentials refused, Rancher failing), by the message
 * the machine driver and Rancher report. The rules are a table, tested row by row; the first that matches wins.
 */
public final class ProvisioningErrors {

    private ProvisioningErrors() {}

    /** Whose mistake it is. */
    public enum Kind {
        USER("User"),
        PLATFORM("Platform"),
        UNKNOWN("Unknown");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** The class of an error: whose, a reason word, and what to do. */
    public record ErrorClass(Kind kind, String reason, String advice) {}

    private record Rule(Pattern pattern, ErrorClass errorClass) {}

    private static Rule rule(String regex, Kind kind, String reason, String advice) {
        return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), new ErrorClass(kind, reason, advice));
    }

    private static final List<Rule> RULES = List.of(
            rule(
                    "quota\\s*exceeded|exceeds?\\s+(the\\s+)?quota|over\\s+quota|insufficient\\s+quota",
                    Kind.USER,
                    "QuotaExceeded",
                    "the request exceeds the project's quota: ask for fewer or smaller nodes, or for more quota"),
            rule(
                    "(unable to find|could not find|no such) image|image\\b.*\\b(could not be found|not found)"
                            + "|imagenotfound|invalid image",
                    Kind.USER,
                    "ImageNotFound",
                    "the node spec's image does not exist: pick an image the cloud offers"),
            rule(
                    "(unable to find|could not find|no such) flavor|flavor\\b.*\\b(could not be found|not found)",
                    Kind.USER,
                    "FlavorNotFound",
                    "the node spec's flavor does not exist: pick a flavor the cloud offers"),
            rule(
                    "(unable to find|could not find|no such) network|network\\b.*\\b(could not be found|not found)",
                    Kind.USER,
                    "NetworkNotFound",
                    "the node spec's network does not exist: pick a network the cloud offers"),
            rule(
                    "key\\s*pair\\b.*\\bnot found|(unable to find|could not find) key\\s*pair",
                    Kind.USER,
                    "KeypairNotFound",
                    "the node spec's key pair does not exist"),
            rule(
                    "no valid host was found|not enough hosts|insufficient capacity|out of capacity",
                    Kind.PLATFORM,
                    "NoCapacity",
                    "the cloud has no capacity for the flavor: the platform team must add capacity"),
            rule(
                    "authentication (failed|required)|invalid credentials|\\b401\\b|unauthorized",
                    Kind.PLATFORM,
                    "CloudCredentialsRefused",
                    "the cloud refused the platform's credentials: the platform team must renew them"),
            rule(
                    "i/o timeout|connection refused|no such host|tls handshake|context deadline exceeded"
                            + "|service unavailable|\\b50[234]\\b|internal server error|connection reset",
                    Kind.PLATFORM,
                    "InfrastructureUnavailable",
                    "the cloud's API did not answer: the platform team is looking at it"),
            rule(
                    "admission webhook|rancher|cattle",
                    Kind.PLATFORM,
                    "RancherError",
                    "Rancher failed to provision the machine: the platform team is looking at it"));

    /** The class of an error message; {@code Unknown} when no rule matches. */
    public static ErrorClass classify(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.pattern().matcher(text).find()) {
                return rule.errorClass();
            }
        }
        return new ErrorClass(Kind.UNKNOWN, "Unclassified", "no known cause in the message; see it in full");
    }

    /** A provisioning that is slow with no error reported: Rancher or the cloud is not making progress. */
    public static ErrorClass noProgress() {
        return new ErrorClass(
                Kind.PLATFORM,
                "NoProgress",
                "no error is reported, but Rancher is not making progress: the platform team is looking at it");
    }
}
