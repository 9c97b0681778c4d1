package dev.kubeyard.platform.console;

import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.control.AddonConfig;
import dev.kubeyard.addons.control.AddonService;
import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.addons.AddonRolloutResource;
import dev.kubeyard.platform.addons.AddonViews;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's addon rollouts: the newest rollouts with their progress, and one rollout's clusters wave by wave, both
 * refreshed every few seconds while a rollout is active. Reading needs {@link Permission#READ_FLEET} (the API's
 * {@link AddonRolloutResource} checks it and answers 403 otherwise, as it does for the API); those who hold {@link
 * Permission#MANAGE_ADDONS} get a form that starts a rollout and the Pause, Resume and Abort buttons, which call the
 * API ({@code addons.js}).
 */
@Path("/console/addon-rollouts")
@Produces(MediaType.TEXT_HTML)
public class AddonRolloutConsole {

    /** The list shows the newest this many rollouts (the API's default page). */
    static final int LIMIT = 50;

    /** The settings in the order the start form asks for them; a stored setting not named here follows them. */
    static final List<String> SETTINGS = List.of(
            "canaries", "maxConcurrent", "soakSeconds", "failureBudget", "healthGate", "progressDeadlineSeconds");

    /** How many of a rollout's clusters are in one phase. */
    public record Count(String phase, long clusters) {}

    /** One rollout as a row of the list, or the head of its own page. */
    public record RolloutRow(
            String id,
            String addon,
            String version,
            String phase,
            boolean active,
            boolean running,
            boolean paused,
            String message,
            List<Count> progress,
            long clusters,
            String createdBy,
            String created,
            String createdIso,
            String updated,
            String finished) {}

    /** The refreshed part of the list page; {@code active}: some rollout shown is still active. */
    public record RolloutList(
            String base, List<RolloutRow> rows, boolean active, int limit, String asOf, String asOfText) {}

    public record Setting(String name, String value) {}

    /** One cluster of a rollout. */
    public record TargetRow(
            String cluster,
            int wave,
            String phase,
            String previousVersion,
            String started,
            String healthy,
            String finished,
            String message) {}

    /** The refreshed part of a rollout's page. */
    public record RolloutDetail(
            String base,
            boolean canManage,
            RolloutRow rollout,
            List<Setting> settings,
            List<TargetRow> clusters,
            String asOf,
            String asOfText) {}

    /** The start form's addons, each with its versions, newest first. */
    public record AddonVersions(String name, String displayName, List<String> versions) {}

    /** What a rollout that names no settings gets (kubeyard.addons.rollouts.*), as the form's placeholders. */
    public record Defaults(
            int canaries, int maxConcurrent, long soakSeconds, int failureBudget, long progressDeadlineSeconds) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rollouts(
                ConsoleHeader page, boolean canManage, List<AddonVersions> addons, Defaults defaults, RolloutList list);

        static native TemplateInstance rollouts$list(RolloutList list);

        static native TemplateInstance rollout(ConsoleHeader page, RolloutDetail detail);

        static native TemplateInstance rollout$progress(RolloutDetail detail);
    }

    @Inject
    AddonRolloutResource rollouts;

    @Inject
    AddonService addons;

    @Inject
    AddonConfig config;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Operation(hidden = true)
    public TemplateInstance page() {
        RolloutList list = list();
        AddonConfig.Rollouts d = config.rollouts();
        return Templates.rollouts(
                caller.header(),
                canManage(),
                addons.catalog().addons().stream()
                        .map(a -> new AddonVersions(
                                a.name(),
                                a.displayName(),
                                a.versions().stream()
                                        .map(AddonVersion::version)
                                        .toList()
                                        .reversed()))
                        .toList(),
                new Defaults(
                        d.canaries(),
                        d.maxConcurrent(),
                        d.soak().toSeconds(),
                        d.failureBudget(),
                        d.progressDeadline().toSeconds()),
                list);
    }

    @GET
    @Path("/list")
    @Operation(hidden = true)
    public TemplateInstance listFragment() {
        return Templates.rollouts$list(list());
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance rolloutPage(@PathParam("id") String id) {
        RolloutDetail detail = detail(id);
        return Templates.rollout(caller.header(), detail);
    }

    @GET
    @Path("/{id}/progress")
    @Operation(hidden = true)
    public TemplateInstance progressFragment(@PathParam("id") String id) {
        return Templates.rollout$progress(detail(id));
    }

    private RolloutList list() {
        // The API checks READ_FLEET (403 and an audited denial without it).
        List<RolloutRow> rows = rollouts.list(Integer.toString(LIMIT)).items().stream()
                .map(AddonRolloutConsole::row)
                .toList();
        Instant now = clock.instant();
        return new RolloutList(
                caller.base(),
                rows,
                rows.stream().anyMatch(RolloutRow::active),
                LIMIT,
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    private RolloutDetail detail(String id) {
        AddonViews.RolloutView view = rollouts.get(id);
        Instant now = clock.instant();
        return new RolloutDetail(
                caller.base(),
                canManage(),
                row(view),
                settings(view.settings()),
                view.clusters() == null
                        ? List.of()
                        : view.clusters().stream()
                                .map(AddonRolloutConsole::target)
                                .toList(),
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    private boolean canManage() {
        return caller.allows(Permission.MANAGE_ADDONS, null);
    }

    static RolloutRow row(AddonViews.RolloutView r) {
        RolloutPhase phase = RolloutPhase.fromWireName(r.phase());
        List<Count> progress = r.progress().entrySet().stream()
                .map(e -> new Count(e.getKey(), e.getValue()))
                .toList();
        return new RolloutRow(
                r.id(),
                r.addon(),
                r.version(),
                r.phase(),
                phase.active(),
                phase == RolloutPhase.RUNNING,
                phase == RolloutPhase.PAUSED,
                r.message() == null ? "" : r.message(),
                progress,
                progress.stream().mapToLong(Count::clusters).sum(),
                r.createdBy(),
                ConsolePages.time(r.createdAt()),
                ConsolePages.iso(r.createdAt()),
                ConsolePages.time(r.updatedAt()),
                ConsolePages.time(r.finishedAt()));
    }

    static List<Setting> settings(Map<String, Object> stored) {
        Map<String, Object> rest = new LinkedHashMap<>(stored == null ? Map.of() : stored);
        List<Setting> out = new ArrayList<>();
        for (String name : SETTINGS) {
            if (rest.containsKey(name)) {
                out.add(new Setting(name, String.valueOf(rest.remove(name))));
            }
        }
        rest.forEach((name, value) -> out.add(new Setting(name, String.valueOf(value))));
        return out;
    }

    static TargetRow target(AddonViews.Target t) {
        return new TargetRow(
                t.cluster(),
                t.wave(),
                t.phase(),
                t.previousVersion() == null ? "" : t.previousVersion(),
                ConsolePages.time(t.startedAt()),
                ConsolePages.time(t.healthyAt()),
                ConsolePages.time(t.finishedAt()),
                t.message() == null ? "" : t.message());
    }
}
