package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rancher's {@code metadata.state} / v3 {@code state} derivation and condition normalisation, as described in
 * rancher-api.md §2.6 (wrangler {@code pkg/summary}), applied to a rendered object.
 *
 * <p>Summarisers run in wrangler's order (errors, transitioning, phase, removing, kstatus); the first that
 * names a state wins, except that a CAPI machine's {@code Deleting=True} always does.
 */
public final class StateSummary {

    /** The summary of one object. */
    public record State(String name, boolean error, boolean transitioning, List<String> messages) {

        /** Steve joins the messages with a colon. */
        public String message() {
            return String.join(":", messages);
        }
    }

    /** Condition types that make an object transitioning when Unknown and erroring when False. */
    static final Map<String, String> TRANSITIONING_UNKNOWN = Map.ofEntries(
            Map.entry("Active", "activating"),
            Map.entry("AgentDeployed", "provisioning"),
            Map.entry("BackingNamespaceCreated", "configuring"),
            Map.entry("Built", "building"),
            Map.entry("CertsGenerated", "provisioning"),
            Map.entry("ConfigOK", "configuring"),
            Map.entry("Created", "creating"),
            Map.entry("CreatorMadeOwner", "configuring"),
            Map.entry("DefaultNamespaceAssigned", "configuring"),
            Map.entry("DefaultNetworkPolicyCreated", "configuring"),
            Map.entry("DefaultProjectCreated", "configuring"),
            Map.entry("Deployed", "deploying"),
            Map.entry("Drained", "draining"),
            Map.entry("Downloaded", "downloading"),
            Map.entry("Inactive", "deactivating"),
            Map.entry("Initialized", "initializing"),
            Map.entry("InitialRolesPopulated", "activating"),
            Map.entry("Installed", "installing"),
            Map.entry("NodesCreated", "provisioning"),
            Map.entry("Pending", "pending"),
            Map.entry("PodScheduled", "scheduling"),
            Map.entry("Provisioned", "provisioning"),
            Map.entry("Reconciled", "reconciling"),
            Map.entry("Registered", "registering"),
            Map.entry("Removed", "removing"),
            Map.entry("Saved", "saving"),
            Map.entry("Updated", "updating"),
            Map.entry("Updating", "updating"),
            Map.entry("Upgraded", "upgrading"),
            Map.entry("Waiting", "waiting"));

    /** Condition types that make an object transitioning when True. */
    static final Map<String, String> TRANSITIONING_TRUE = Map.of("Reconciling", "reconciling");

    /** Condition types that make an object transitioning when False and erroring when Unknown. */
    static final Map<String, String> TRANSITIONING_FALSE =
            Map.of("Completed", "activating", "Ready", "unavailable", "Available", "updating");

    private StateSummary() {}

    /**
     * Adds {@code error}, {@code transitioning} and a missing {@code lastUpdateTime} to every condition of
     * {@code status.conditions}, as Steve does.
     */
    public static void normalizeConditions(JsonNode obj) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (!(c instanceof ObjectNode cond)) {
                continue;
            }
            String type = cond.path("type").asText();
            String status = cond.path("status").asText();
            boolean error = "Error".equals(cond.path("reason").asText())
                    || (("Failed".equals(type) || "Stalled".equals(type)) && "True".equals(status))
                    || (TRANSITIONING_UNKNOWN.containsKey(type) && "False".equals(status))
                    || (TRANSITIONING_FALSE.containsKey(type) && "Unknown".equals(status));
            boolean transitioning = (TRANSITIONING_UNKNOWN.containsKey(type) && "Unknown".equals(status))
                    || (TRANSITIONING_TRUE.containsKey(type) && "True".equals(status))
                    || (TRANSITIONING_FALSE.containsKey(type) && "False".equals(status));
            cond.put("error", error);
            cond.put("transitioning", transitioning);
            if (!cond.hasNonNull("lastUpdateTime") && cond.hasNonNull("lastTransitionTime")) {
                cond.set("lastUpdateTime", cond.get("lastTransitionTime"));
            }
        }
    }

    public static State summarize(JsonNode obj, boolean capiMachine) {
        Summary s = new Summary();
        JsonNode status = obj.path("status");
        List<JsonNode> conditions = new ArrayList<>();
        status.path("conditions").forEach(conditions::add);

        checkErrors(status, conditions, s);
        if (capiMachine) {
            checkMachine(conditions, s);
        } else {
            checkTransitioning(conditions, s);
        }
        String phase = status.path("phase").asText("");
        if (s.state == null && !phase.isEmpty()) {
            s.state = phase.toLowerCase(Locale.ROOT);
        }
        JsonNode metadata = obj.path("metadata");
        if (metadata.hasNonNull("deletionTimestamp") && !"deleting".equals(s.state)) {
            s.state = "removing";
            s.transitioning = true;
            for (JsonNode f : metadata.path("finalizers")) {
                s.messages.add("waiting on " + f.asText());
            }
        }
        if (s.state == null) {
            if (!capiMachine && "False".equals(conditionStatus(conditions, "Ready"))) {
                s.state = "unavailable";
            } else {
                if (status.isMissingNode() || status.isEmpty()) {
                    s.messages.add("Resource is current");
                }
                s.state = s.error ? "error" : "active";
            }
        }
        return new State(s.state, s.error, s.transitioning, List.copyOf(s.messages));
    }

    private static void checkErrors(JsonNode status, List<JsonNode> conditions, Summary s) {
        String failure = status.path("failureMessage").asText("");
        if (!failure.isEmpty()) {
            s.error = true;
            s.messages.add(failure);
        }
        for (JsonNode c : conditions) {
            String type = c.path("type").asText();
            boolean failed = ("Failed".equals(type) || "Stalled".equals(type))
                    && "True".equals(c.path("status").asText());
            if (failed || "Error".equals(c.path("reason").asText())) {
                s.error = true;
                addMessage(s, c.path("message").asText(""));
            }
        }
        if (s.error) {
            s.state = "error";
        }
    }

    private static void checkTransitioning(List<JsonNode> conditions, Summary s) {
        for (JsonNode c : conditions) {
            String mapped = TRANSITIONING_UNKNOWN.get(c.path("type").asText());
            if (mapped == null) {
                continue;
            }
            String status = c.path("status").asText();
            if ("False".equals(status)) {
                s.error = true;
                if (s.state == null || s.state.equals("error")) {
                    s.state = mapped;
                }
                addMessage(s, c.path("message").asText(""));
            } else if ("Unknown".equals(status) && s.state == null) {
                s.transitioning = true;
                s.state = mapped;
                addMessage(s, c.path("message").asText(""));
            }
        }
        for (JsonNode c : conditions) {
            if (s.state != null) {
                return;
            }
            String mapped = TRANSITIONING_TRUE.get(c.path("type").asText());
            if (mapped != null && "True".equals(c.path("status").asText())) {
                s.transitioning = true;
                s.state = mapped;
                addMessage(s, c.path("message").asText(""));
            }
        }
        for (JsonNode c : conditions) {
            if (s.state != null) {
                return;
            }
            String mapped = TRANSITIONING_FALSE.get(c.path("type").asText());
            if (mapped == null) {
                continue;
            }
            String status = c.path("status").asText();
            if ("False".equals(status)) {
                s.transitioning = true;
                s.state = mapped;
                addMessage(s, c.path("message").asText(""));
            } else if ("Unknown".equals(status)) {
                s.error = true;
                s.state = mapped;
                addMessage(s, c.path("message").asText(""));
            }
        }
    }

    /** CAPI v1beta2 Machine rules (wrangler {@code checkCAPIMachineTransitioning}). */
    private static void checkMachine(List<JsonNode> conditions, Summary s) {
        JsonNode ready = null;
        JsonNode reconciled = null;
        for (JsonNode c : conditions) {
            String type = c.path("type").asText();
            String status = c.path("status").asText();
            if ("Deleting".equals(type) && "True".equals(status)) {
                s.state = "deleting";
                s.transitioning = true;
                String message = c.path("message").asText("");
                addMessage(s, message.startsWith("Drain not completed yet") ? "Draining node" : message);
                return;
            }
            if ("Paused".equals(type) && "True".equals(status) && s.state == null) {
                s.state = "paused";
                s.transitioning = true;
            }
            if ("Ready".equals(type)) {
                ready = c;
            }
            if ("Reconciled".equals(type)) {
                reconciled = c;
            }
        }
        if (s.state != null) {
            return;
        }
        if (reconciled != null && !"True".equals(reconciled.path("status").asText())) {
            s.state = "reconciling";
            boolean unknown = "Unknown".equals(reconciled.path("status").asText());
            s.transitioning |= unknown;
            s.error |= !unknown;
            addMessage(s, reconciled.path("message").asText(""));
            return;
        }
        if (ready == null) {
            return;
        }
        String status = ready.path("status").asText();
        String firstBullet = firstBullet(ready.path("message").asText(""));
        if ("False".equals(status)) {
            if (firstBullet.startsWith("* BootstrapConfigReady:")) {
                s.state = "waitingforinfrastructure";
            } else if (firstBullet.startsWith("* InfrastructureReady:")) {
                s.state = "waitingfornoderef";
            } else {
                return;
            }
            s.transitioning = true;
            addMessage(s, bulletDetail(firstBullet));
        } else if ("Unknown".equals(status)) {
            s.state = "reconciling";
            s.transitioning = true;
            addMessage(s, bulletDetail(firstBullet));
        }
    }

    private static String firstBullet(String message) {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private static String bulletDetail(String bullet) {
        int colon = bullet.indexOf(": ");
        return bullet.startsWith("* ") && colon > 0 ? bullet.substring(colon + 2) : bullet;
    }

    private static String conditionStatus(List<JsonNode> conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private static void addMessage(Summary s, String message) {
        if (message != null && !message.isEmpty() && !s.messages.contains(message)) {
            s.messages.add(message);
        }
    }

    private static final class Summary {
        String state;
        boolean error;
        boolean transitioning;
        final List<String> messages = new ArrayList<>();
    }
}
