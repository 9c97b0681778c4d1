package dev.kubeyard.addons.control;

import dev.kubeyard.addons.catalog.AddonDefinition;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.Values;
import dev.kubeyard.addons.record.AddonStore;
import dev.kubeyard.addons.record.DefaultSetRecord;
import dev.kubeyard.addons.record.InstallationRecord;
import dev.kubeyard.addons.render.ValueProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What requests ask of the addon manager: install, change and remove addons of a cluster, default sets, and the
 * Kubernetes upgrade gate. Everything is checked before anything is stored (the version exists and supports the
 * cluster's Kubernetes, the values fit the schema), so a refused request changes nothing. The application checks who
 * may ask, and nudges the cluster's controller after the commit.
 */
@ApplicationScoped
public class AddonService {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Inject
    AddonCatalog catalogs;

    @Inject
    AddonStore store;

    @Inject
    Clock clock;

    /** The cluster a request is about, as the application knows it. */
    public record ClusterRef(String name, String team, Map<String, String> labels, String kubernetesVersion) {}

    /** An installation asked for: version empty means the newest one that supports the cluster. */
    public record Request(
            String addon, Optional<String> version, Optional<String> namespace, Map<String, Object> values) {}

    public record Installed(InstallationRecord installation, boolean created, boolean changed) {}

    public Catalog catalog() {
        return catalogs.catalog();
    }

    public AddonDefinition definition(String addon) {
        return catalog()
                .addon(addon)
                .orElseThrow(() -> AddonProblem.notFound("addon", "addon " + addon + " is not in the catalog"));
    }

    /**
     * Installs the addon in the cluster, or changes its version, namespace or values (what a request leaves out stays
     * as it is). Idempotent.
     */
    @Transactional
    public Installed install(ClusterRef cluster, Request request, String source, String actor) {
        definition(request.addon());
        Optional<InstallationRecord> existing = store.installationForUpdate(cluster.name(), request.addon());
        // Left out on an installed addon: its version, namespace and values stay as they are.
        Request effective = new Request(
                request.addon(),
                request.version().filter(v -> !v.isBlank()).or(() -> existing.map(InstallationRecord::getVersion)),
                request.namespace().or(() -> existing.map(InstallationRecord::getNamespace)),
                request.values() != null
                        ? request.values()
                        : existing.map(InstallationRecord::getValues).orElse(Map.of()));
        AddonVersion version = check(cluster, effective);
        String namespace =
                effective.namespace().orElse(definition(request.addon()).namespace());
        Map<String, Object> values = effective.values();
        if (existing.isPresent()) {
            InstallationRecord record = existing.get();
            if (!record.getVersion().equals(version.version()) && !source.startsWith("rollout:")) {
                store.activeRollout(request.addon())
                        .filter(r -> r.getTargets().stream()
                                .anyMatch(t -> t.getCluster().equals(cluster.name())))
                        .ifPresent(r -> {
                            throw AddonProblem.conflict(
                                    "rollout " + r.getId() + " of " + request.addon() + " to " + r.getTargetVersion()
                                            + " is in progress over this cluster: pause or abort it first");
                        });
            }
            boolean changed = record.change(version.version(), namespace, values, source, actor, clock.instant());
            return new Installed(record, false, changed);
        }
        InstallationRecord record = new InstallationRecord(
                cluster.name(), request.addon(), version.version(), namespace, values, source, actor, clock.instant());
        store.add(record);
        return new Installed(record, true, true);
    }

    /**
     * The addons a cluster's spec names, installed or changed; those it named before and no longer does are removed.
     * An addon named without a version gets the newest one that supports the cluster when first installed, and keeps
     * whatever it runs after that (a rollout may move it). A refusal names the spec's field ({@code
     * addons[1].values.output.port}). In the caller's transaction: the spec and its addons change together.
     *
     * @return what changed, one line per addon ("installed metrics-server 0.8.0", "removed fluent-bit")
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> applySpec(ClusterRef cluster, List<Request> declared, String actor) {
        List<String> changes = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            Request request = declared.get(i);
            String at = "addons[" + i + "]";
            if (request.addon() == null || request.addon().isBlank()) {
                throw AddonProblem.invalid(at + ".name", "is required");
            }
            if (!named.add(request.addon())) {
                throw AddonProblem.invalid(at + ".name", request.addon() + " is named twice");
            }
            Optional<InstallationRecord> existing = store.installation(cluster.name(), request.addon())
                    .filter(r -> r.getRemovalRequestedAt().isEmpty());
            Request effective = request.version().filter(v -> !v.isBlank()).isEmpty() && existing.isPresent()
                    ? new Request(
                            request.addon(),
                            Optional.of(existing.get().getVersion()),
                            request.namespace(),
                            request.values())
                    : request;
            Installed installed;
            try {
                installed = install(cluster, effective, "spec", actor);
            } catch (AddonProblem e) {
                throw prefixed(at, e);
            }
            installed.installation().setDeclaredInSpec(true);
            if (installed.changed()) {
                changes.add((installed.created() ? "installed " : "changed ") + request.addon() + " "
                        + installed.installation().getVersion());
            }
        }
        for (InstallationRecord r : store.installations(cluster.name())) {
            if (r.isDeclaredInSpec()
                    && !named.contains(r.getAddon())
                    && r.getRemovalRequestedAt().isEmpty()) {
                r.requestRemoval(actor, clock.instant());
                changes.add("removed " + r.getAddon());
            }
        }
        return changes;
    }

    /** The same refusal, its fields under the spec's entry ({@code version} becomes {@code addons[0].version}). */
    private static AddonProblem prefixed(String at, AddonProblem e) {
        List<AddonProblem.Field> fields = e.fields().stream()
                .map(f -> new AddonProblem.Field(
                        f.field().equals("addon") ? at + ".name" : at + "." + f.field(), f.message()))
                .toList();
        String message = fields.isEmpty()
                ? e.getMessage()
                : String.join(
                        "; ",
                        fields.stream().map(f -> f.field() + ": " + f.message()).toList());
        return new AddonProblem(
                e.kind() == AddonProblem.Kind.CONFLICT ? AddonProblem.Kind.CONFLICT : AddonProblem.Kind.INVALID,
                message,
                fields);
    }

    /** Asks for the addon's removal; the controller deletes its objects, then the installation. */
    @Transactional
    public InstallationRecord remove(String cluster, String addon, String actor) {
        InstallationRecord record = store.installationForUpdate(cluster, addon)
                .orElseThrow(() -> AddonProblem.notFound("addon", addon + " is not installed in " + cluster));
        record.requestRemoval(actor, clock.instant());
        return record;
    }

    /**
     * Everything that stands against the request: the addon and version in the catalog, the cluster's Kubernetes
     * version in the version's range, the namespace a DNS label, the values within the schema.
     */
    public AddonVersion check(ClusterRef cluster, Request request) {
        AddonDefinition definition = definition(request.addon());
        AddonVersion version;
        if (request.version().isPresent() && !request.version().get().isBlank()) {
            version = definition
                    .version(request.version().get())
                    .orElseThrow(() -> AddonProblem.invalid(
                            "version",
                            request.addon() + " has no version "
                                    + request.version().get() + " in the catalog (it has "
                                    + String.join(
                                            ", ",
                                            definition.versions().stream()
                                                    .map(AddonVersion::version)
                                                    .toList())
                                    + ")"));
            if (!version.supports(cluster.kubernetesVersion())) {
                throw AddonProblem.invalid(
                        "version",
                        version.ref() + " supports Kubernetes "
                                + version.kubernetesVersions() + ", and cluster " + cluster.name() + " runs "
                                + cluster.kubernetesVersion());
            }
        } else {
            version = definition
                    .latestSupporting(cluster.kubernetesVersion())
                    .orElseThrow(() -> AddonProblem.invalid(
                            "version",
                            "no version of " + request.addon() + " supports Kubernetes "
                                    + cluster.kubernetesVersion()));
        }
        request.namespace().ifPresent(ns -> {
            if (!DNS_LABEL.matcher(ns).matches()) {
                throw AddonProblem.invalid("namespace", "must be a DNS label (lower-case letters, digits, '-')");
            }
        });
        List<ValueProblem> problems = catalogs.renderer()
                .validator()
                .validate(version, Values.of(request.values() == null ? Map.of() : request.values()));
        if (!problems.isEmpty()) {
            List<AddonProblem.Field> fields = problems.stream()
                    .map(p -> new AddonProblem.Field(p.path().isEmpty() ? "values" : "values." + p.path(), p.message()))
                    .toList();
            throw new AddonProblem(
                    AddonProblem.Kind.INVALID,
                    "The values do not fit " + version.ref() + ": "
                            + String.join(
                                    "; ",
                                    fields.stream()
                                            .map(f -> f.field() + ": " + f.message())
                                            .toList()),
                    fields);
        }
        return version;
    }

    /**
     * Why the cluster cannot move to the Kubernetes version, one line per installed addon version that does not
     * support it (empty: nothing stands in the way).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> upgradeBlockers(String cluster, String targetKubernetesVersion) {
        List<String> blockers = new ArrayList<>();
        for (InstallationRecord i : store.installations(cluster)) {
            if (i.getRemovalRequestedAt().isPresent()) {
                continue;
            }
            for (String v : versionsInPlay(i)) {
                catalog()
                        .version(i.getAddon(), v)
                        .filter(av -> !av.supports(targetKubernetesVersion))
                        .ifPresent(av -> blockers.add(av.ref() + " supports Kubernetes " + av.kubernetesVersions()
                                + ", not " + targetKubernetesVersion + " (move it to a version that does first)"));
            }
        }
        return blockers;
    }

    /** The desired version and, while a change is under way, the one still running. */
    private static List<String> versionsInPlay(InstallationRecord i) {
        List<String> out = new ArrayList<>(List.of(i.getVersion()));
        String applied = i.getStatus().appliedVersion();
        if (applied != null && !applied.equals(i.getVersion())) {
            out.add(applied);
        }
        return out;
    }

    // Default sets.

    public record DefaultAddon(
            String addon, Optional<String> version, Optional<String> namespace, Map<String, Object> values) {}

    @Transactional
    public DefaultSetRecord putDefaultSet(
            String name, Optional<String> team, Map<String, String> selector, List<DefaultAddon> addons, String actor) {
        if (!DNS_LABEL.matcher(name).matches()) {
            throw AddonProblem.invalid("name", "must be a DNS label");
        }
        if (addons.isEmpty()) {
            throw AddonProblem.invalid("addons", "at least one addon is required");
        }
        List<Map<String, Object>> stored = new ArrayList<>();
        for (int i = 0; i < addons.size(); i++) {
            DefaultAddon a = addons.get(i);
            String at = "addons[" + i + "]";
            AddonDefinition definition = catalog()
                    .addon(a.addon())
                    .orElseThrow(() -> AddonProblem.invalid(at + ".addon", a.addon() + " is not in the catalog"));
            if (a.version().isPresent() && definition.version(a.version().get()).isEmpty()) {
                throw AddonProblem.invalid(
                        at + ".version",
                        a.addon() + " has no version " + a.version().get());
            }
            a.version().flatMap(definition::version).ifPresent(v -> {
                List<ValueProblem> problems = catalogs.renderer().validator().validate(v, Values.of(a.values()));
                if (!problems.isEmpty()) {
                    ValueProblem p = problems.getFirst();
                    throw AddonProblem.invalid(
                            at + ".values" + (p.path().isEmpty() ? "" : "." + p.path()), p.message());
                }
            });
            a.namespace().ifPresent(ns -> {
                if (!DNS_LABEL.matcher(ns).matches()) {
                    throw AddonProblem.invalid(at + ".namespace", "must be a DNS label");
                }
            });
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("addon", a.addon());
            a.version().ifPresent(v -> entry.put("version", v));
            a.namespace().ifPresent(ns -> entry.put("namespace", ns));
            entry.put("values", a.values() == null ? Map.of() : a.values());
            stored.add(entry);
        }
        DefaultSetRecord set =
                store.defaultSet(name).orElseGet(() -> new DefaultSetRecord(name, actor, clock.instant()));
        set.set(team.orElse(null), selector, stored, clock.instant());
        store.save(set);
        return set;
    }

    @Transactional
    public void deleteDefaultSet(String name) {
        store.delete(store.defaultSet(name).orElseThrow(() -> AddonProblem.notFound("name", "no default set " + name)));
    }

    /**
     * Installs the default sets' addons in a new cluster (in the caller's transaction: the cluster and its addons are
     * stored together). An addon with no version for the cluster's Kubernetes is left out, not failed: the set is a
     * default, not a requirement. Returns the addons installed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> applyDefaults(ClusterRef cluster, String actor) {
        List<String> installed = new ArrayList<>();
        for (DefaultSetRecord set : store.defaultSets()) {
            if (!set.matches(cluster.team(), cluster.labels())) {
                continue;
            }
            for (Map<String, Object> entry : set.getAddons()) {
                String addon = (String) entry.get("addon");
                if (installed.contains(addon)
                        || store.installation(cluster.name(), addon).isPresent()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> values = (Map<String, Object>) entry.getOrDefault("values", Map.of());
                Request request = new Request(
                        addon,
                        Optional.ofNullable((String) entry.get("version")),
                        Optional.ofNullable((String) entry.get("namespace")),
                        values);
                try {
                    // Checked first, outside install's transaction boundary: a refusal there would mark the
                    // cluster's creation for rollback even when caught.
                    check(cluster, request);
                } catch (AddonProblem e) {
                    continue; // not for this cluster (its Kubernetes version, say): left out
                }
                install(cluster, request, "default-set:" + set.getName(), actor);
                installed.add(addon);
            }
        }
        return installed;
    }
}
