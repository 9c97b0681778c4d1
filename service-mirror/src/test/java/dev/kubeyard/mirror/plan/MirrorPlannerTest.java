package dev.kubeyard.mirror.plan;

import static dev.kubeyard.mirror.plan.World.T0;
import static dev.kubeyard.mirror.plan.World.actions;
import static dev.kubeyard.mirror.plan.World.export;
import static dev.kubeyard.mirror.plan.World.http;
import static dev.kubeyard.mirror.plan.World.ownService;
import static dev.kubeyard.mirror.plan.World.ready;
import static dev.kubeyard.mirror.plan.World.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kubeyard.mirror.plan.MirrorInput.ClusterView;
import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorInput.SliceObject;
import dev.kubeyard.mirror.plan.MirrorPlan.Action;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateNamespace;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateService;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteService;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.ExportState;
import dev.kubeyard.mirror.plan.MirrorPlan.HoldBack;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateService;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorPlannerTest {

    static final ServiceKey WEB = new ServiceKey("shop", "web");

    static World exportedFromA() {
        return World.of("a", "b", "c").exports("a", web(T0, ready(8080, "10.1.0.2", "10.1.0.1")));
    }

    /** Exported from a, and the followers written in b and c. */
    static World settledFromA() {
        World world = exportedFromA();
        world.settle();
        return world;
    }

    static List<Class<?>> kinds(List<Action> actions) {
        return actions.stream().<Class<?>>map(Object::getClass).toList();
    }

    static <T extends Action> T only(List<Action> actions, Class<T> type) {
        assertThat(actions).hasOnlyElementsOfType(type).hasSize(1);
        return type.cast(actions.getFirst());
    }

    static Condition condition(ServiceObject service, String type) {
        return service.conditions().stream()
                .filter(c -> c.type().equals(type))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anExportCreatesFollowersWithItsReadyEndpointsInTheOtherClustersOnly() {
        MirrorPlan plan = exportedFromA().plan();

        assertThat(actions(plan, "a")).isEmpty();
        for (String importer : List.of("b", "c")) {
            List<Action> actions = actions(plan, importer);
            assertThat(actions).hasSize(2);
            ServiceObject follower = ((CreateService) actions.get(0)).service();
            assertThat(follower.key()).isEqualTo(WEB);
            assertThat(follower.type()).isEqualTo(ServiceType.CLUSTER_IP);
            assertThat(follower.ports()).containsExactly(http(80));
            assertThat(follower.labels())
                    .containsEntry(MirrorLabels.FOLLOWER, "true")
                    .containsEntry(MirrorLabels.SET, World.SET)
                    .containsEntry(MirrorLabels.ORIGIN, "a");
            assertThat(follower.annotations()).containsEntry(MirrorLabels.SOURCE_CLUSTERS, "a");
            assertThat(condition(follower, Reasons.CONFLICT).status()).isEqualTo(Reasons.FALSE);
            SliceObject slice = ((CreateSlice) actions.get(1)).slice();
            assertThat(slice.name()).isEqualTo("web-a");
            assertThat(slice.labels())
                    .containsEntry(MirrorLabels.SOURCE_CLUSTER, "a")
                    .containsEntry(MirrorLabels.SERVICE_NAME, "web")
                    .containsEntry(MirrorLabels.MCS_SERVICE_NAME, "web")
                    .containsEntry(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER);
            assertThat(slice.addressType()).isEqualTo("IPv4");
            assertThat(slice.ports()).containsExactly(http(8080));
            assertThat(slice.addresses()).containsExactly("10.1.0.1", "10.1.0.2");
        }
        ExportState state = export(plan, "a");
        assertThat(state.importedBy()).containsExactly("b", "c");
        assertThat(state.refusals()).isEmpty();
        assertThat(state.condition(Reasons.VALID).orElseThrow().status()).isEqualTo(Reasons.TRUE);
    }

    @Test
    void aPlanCarriedOutLeavesNothingToDo() {
        World world = settledFromA();

        assertThat(world.plan().clusters())
                .allSatisfy(p -> assertThat(p.actions()).isEmpty());
    }

    @Test
    void anEndpointChangeChangesOnlyTheSlices() {
        World world = settledFromA();
        world.exports("a", web(T0, ready(8080, "10.1.0.1", "10.1.0.3")));

        MirrorPlan plan = world.plan();

        assertThat(actions(plan, "a")).isEmpty();
        for (String importer : List.of("b", "c")) {
            UpdateSlice update = only(actions(plan, importer), UpdateSlice.class);
            assertThat(update.slice().name()).isEqualTo("web-a");
            assertThat(update.slice().addresses()).containsExactly("10.1.0.1", "10.1.0.3");
        }
    }

    @Test
    void unExportingDeletesTheFollowersAndTheirSlices() {
        World world = settledFromA();
        world.exports("a");

        MirrorPlan plan = world.plan();

        assertThat(actions(plan, "a")).isEmpty();
        for (String importer : List.of("b", "c")) {
            assertThat(kinds(actions(plan, importer))).containsExactly(DeleteSlice.class, DeleteService.class);
            assertThat(((DeleteService) actions(plan, importer).get(1)).key()).isEqualTo(WEB);
        }
        assertThat(plan.exports()).isEmpty();
    }

    @Test
    void aServiceThatIsNotAFollowerIsAConflictAndNothingIsWrittenOverIt() {
        World world = exportedFromA().service("c", ownService("web"));

        MirrorPlan plan = world.plan();

        HoldBack held = only(actions(plan, "c"), HoldBack.class);
        assertThat(held.key()).isEqualTo(WEB);
        assertThat(held.reason()).isEqualTo(Reasons.SERVICE_CONFLICT);
        assertThat(held.message()).contains("not a follower");
        assertThat(actions(plan, "b")).hasSize(2);
        ExportState state = export(plan, "a");
        assertThat(state.importedBy()).containsExactly("b");
        assertThat(state.refusals()).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo("c");
            assertThat(r.reason()).isEqualTo(Reasons.SERVICE_CONFLICT);
        });
        Condition conflict = state.condition(Reasons.CONFLICT).orElseThrow();
        assertThat(conflict.status()).isEqualTo(Reasons.TRUE);
        assertThat(conflict.reason()).isEqualTo(Reasons.SERVICE_CONFLICT);

        world.settle();
        assertThat(world.view("c").services()).containsExactly(ownService("web"));
        assertThat(world.view("c").slices()).isEmpty();
    }

    @Test
    void followersOfAnotherSetAreNeitherOverwrittenNorDeleted() {
        ServiceObject foreign = new ServiceObject(
                "shop",
                "web",
                Map.of(MirrorLabels.FOLLOWER, "true", MirrorLabels.SET, "other-team"),
                Map.of(),
                ServiceType.CLUSTER_IP,
                List.of(http(80)),
                List.of());
        World world = World.of("a", "b").service("b", foreign);

        assertThat(actions(world.plan(), "b")).isEmpty();
        world.exports("a", web(T0, ready(8080, "10.1.0.1")));
        assertThat(only(actions(world.plan(), "b"), HoldBack.class).reason()).isEqualTo(Reasons.SERVICE_CONFLICT);
    }

    @Test
    void twoExportersMergeTheirEndpointsAndNeitherGetsAFollower() {
        World world = World.of("a", "b", "c")
                .exports("a", web(T0.plusSeconds(60), ready(8080, "10.1.0.1")))
                .exports("b", web(T0, ready(8080, "10.2.0.1", "10.2.0.2")));

        MirrorPlan plan = world.plan();

        assertThat(actions(plan, "a")).isEmpty();
        assertThat(actions(plan, "b")).isEmpty();
        List<Action> actions = actions(plan, "c");
        ServiceObject follower = ((CreateService) actions.getFirst()).service();
        assertThat(follower.labels()).containsEntry(MirrorLabels.ORIGIN, "b");
        assertThat(follower.annotations()).containsEntry(MirrorLabels.SOURCE_CLUSTERS, "a,b");
        assertThat(actions.subList(1, actions.size()))
                .extracting(a -> ((CreateSlice) a).slice())
                .extracting(SliceObject::name, SliceObject::addresses)
                .containsExactly(tuple("web-b", List.of("10.2.0.1", "10.2.0.2")), tuple("web-a", List.of("10.1.0.1")));
        assertThat(export(plan, "a").importedBy()).containsExactly("c");
        assertThat(export(plan, "b").importedBy()).containsExactly("c");
    }

    @Test
    void anExporterPastTheLeaseWithdrawsItsEndpointsAndTheyComeBackWhenItIsSeenAgain() {
        World world = exportedFromA();
        MirrorPlan first = world.settle();
        assertThat(first.lookAgainAt()).contains(T0.plus(World.LEASE));

        world.at(T0.plus(Duration.ofMinutes(4)), "b", "c");
        assertThat(world.plan().clusters())
                .allSatisfy(p -> assertThat(p.actions()).isEmpty());

        world.at(T0.plus(Duration.ofMinutes(5)), "b", "c");
        MirrorPlan lapsed = world.plan();
        for (String importer : List.of("b", "c")) {
            List<Action> actions = actions(lapsed, importer);
            assertThat(kinds(actions)).containsExactly(UpdateService.class, DeleteSlice.class);
            Condition withdrawn = condition(((UpdateService) actions.get(0)).service(), Reasons.ENDPOINTS_WITHDRAWN);
            assertThat(withdrawn.status()).isEqualTo(Reasons.TRUE);
            assertThat(withdrawn.reason()).isEqualTo(Reasons.EXPORTER_NOT_SEEN);
            assertThat(withdrawn.message())
                    .contains("a since 2026-12-10T10:05:00Z")
                    .contains("withdraw-after 5m");
            assertThat(((DeleteSlice) actions.get(1)).reason()).contains("withdrawn since 2026-12-10T10:05:00Z");
        }
        assertThat(export(lapsed, "a")
                        .condition(Reasons.ENDPOINTS_WITHDRAWN)
                        .orElseThrow()
                        .status())
                .isEqualTo(Reasons.TRUE);
        assertThat(lapsed.lookAgainAt()).isEmpty();
        world.apply(lapsed);
        assertThat(world.view("b").services()).extracting(ServiceObject::key).containsExactly(WEB);

        world.at(T0.plus(Duration.ofMinutes(7)), "a", "b", "c");
        MirrorPlan back = world.plan();
        for (String importer : List.of("b", "c")) {
            List<Action> actions = actions(back, importer);
            assertThat(kinds(actions)).containsExactly(UpdateService.class, CreateSlice.class);
            assertThat(condition(((UpdateService) actions.get(0)).service(), Reasons.ENDPOINTS_WITHDRAWN)
                            .status())
                    .isEqualTo(Reasons.FALSE);
            assertThat(((CreateSlice) actions.get(1)).slice().addresses()).containsExactly("10.1.0.1", "10.1.0.2");
        }
    }

    @Test
    void aWithdrawnExporterLeavesTheOtherExportersEndpointsInPlace() {
        World world = World.of("a", "b", "c")
                .exports("a", web(T0, ready(8080, "10.1.0.1")))
                .exports("b", web(T0, ready(8080, "10.2.0.1")));
        world.settle();

        world.at(T0.plus(Duration.ofMinutes(6)), "b", "c");
        List<Action> actions = actions(world.plan(), "c");

        assertThat(kinds(actions)).containsExactly(UpdateService.class, DeleteSlice.class);
        assertThat(((DeleteSlice) actions.get(1)).name()).isEqualTo("web-a");
    }

    @Test
    void aClusterLeavingTheSetLosesItsFollowers() {
        World world = settledFromA();
        world.leaves("c");

        MirrorPlan plan = world.plan();

        assertThat(kinds(actions(plan, "c"))).containsExactly(DeleteSlice.class, DeleteService.class);
        assertThat(((DeleteService) actions(plan, "c").get(1)).reason()).contains("no longer a member of set");
        assertThat(actions(plan, "b")).isEmpty();
        assertThat(export(plan, "a").importedBy()).containsExactly("b");
    }

    @Test
    void anExporterLeavingTheSetTakesItsFollowersAway() {
        World world = settledFromA();
        world.leaves("a");

        MirrorPlan plan = world.plan();

        assertThat(actions(plan, "a")).isEmpty();
        assertThat(kinds(actions(plan, "b"))).containsExactly(DeleteSlice.class, DeleteService.class);
        assertThat(plan.exports()).isEmpty();
    }

    @Test
    void aMissingNamespaceIsCreatedWhenTheSetAllowsItAndHeldBackOtherwise() {
        World world = exportedFromA().namespaces("b").namespaces("c");

        assertThat(actions(world.plan(), "b").getFirst())
                .isEqualTo(new CreateNamespace("shop", "followers of set payments live in it"));

        world.createNamespaces(false);
        MirrorPlan plan = world.plan();
        assertThat(only(actions(plan, "b"), HoldBack.class).reason()).isEqualTo(Reasons.NAMESPACE_MISSING);
        assertThat(export(plan, "a").refusals())
                .extracting(MirrorPlan.Refusal::cluster)
                .containsExactly("b", "c");
        assertThat(export(plan, "a").condition(Reasons.CONFLICT).orElseThrow().status())
                .isEqualTo(Reasons.FALSE);
    }

    @Test
    void anExportOfAFollowerIsNotFollowedAgain() {
        World world = settledFromA();
        world.exports("b", web(T0, ready(8080, "10.1.0.1")));

        MirrorPlan plan = world.plan();

        assertThat(plan.clusters()).allSatisfy(p -> assertThat(p.actions()).isEmpty());
        assertThat(export(plan, "b").condition(Reasons.VALID).orElseThrow().reason())
                .isEqualTo(Reasons.EXPORT_OF_FOLLOWER);
    }

    @Test
    void theSameInputGivesTheSamePlanWhateverTheOrderItCameIn() {
        World world = World.of("a", "b", "c")
                .exports("a", web(T0, ready(8080, "10.1.0.2", "10.1.0.1")), namedExport("api"))
                .exports("b", web(T0, ready(8080, "10.2.0.1")));
        MirrorInput input = world.input();
        List<ClusterView> reversed = new ArrayList<>();
        for (ClusterView c : input.clusters()) {
            List<MirrorInput.Export> exports = new ArrayList<>(c.exports());
            Collections.reverse(exports);
            reversed.addFirst(new ClusterView(
                    c.cluster(), c.member(), c.lastSeen(), c.namespaces(), exports, c.services(), c.slices()));
        }
        MirrorInput shuffled =
                new MirrorInput(input.set(), reversed, input.now(), input.withdrawAfter(), input.createNamespaces());

        assertThat(MirrorPlanner.plan(input)).isEqualTo(MirrorPlanner.plan(input));
        assertThat(MirrorPlanner.plan(shuffled)).isEqualTo(MirrorPlanner.plan(input));
    }

    @Test
    void anUnobservedExportersRecordedExportKeepsItsFollowersAndNothingIsPlannedForIt() {
        World world = World.of("a", "b", "c").exports("a", web(T0, ready(8080, "10.1.0.1")));
        world.settle();
        world.unobserved("a");

        MirrorPlan plan = world.plan();

        assertThat(plan.clusters()).allSatisfy(p -> assertThat(p.actions()).isEmpty());
        assertThat(export(plan, "a").importedBy()).containsExactly("b", "c");
    }

    @Test
    void anUnobservedImporterIsNeitherImporterNorRefusalAndGetsNoWrites() {
        World world = World.of("a", "b", "c").exports("a", web(T0, ready(8080, "10.1.0.1")));
        world.unobserved("c");

        MirrorPlan plan = world.plan();

        assertThat(actions(plan, "c")).isEmpty();
        assertThat(actions(plan, "b")).isNotEmpty();
        assertThat(export(plan, "a").importedBy()).containsExactly("b");
        assertThat(export(plan, "a").refusals()).isEmpty();
    }

    @Test
    void aServiceExportIsToldItsStateOnceAndNotAgainWhileItStays() {
        MirrorInput.Export byObject = new MirrorInput.Export(
                "shop",
                "web",
                ServiceType.CLUSTER_IP,
                List.of(http(80)),
                List.of(ready(8080, "10.1.0.1")),
                T0,
                java.util.Optional.of(List.of()));
        World world = World.of("a", "b").exports("a", byObject);

        MirrorPlan plan = world.plan();

        MirrorPlan.ReportExport report = actions(plan, "a").stream()
                .filter(MirrorPlan.ReportExport.class::isInstance)
                .map(MirrorPlan.ReportExport.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(report.conditions())
                .extracting(MirrorInput.Condition::type, MirrorInput.Condition::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Reasons.CONFLICT, Reasons.FALSE),
                        org.assertj.core.groups.Tuple.tuple(Reasons.VALID, Reasons.TRUE));

        World shown = World.of("a", "b")
                .exports(
                        "a",
                        new MirrorInput.Export(
                                "shop",
                                "web",
                                ServiceType.CLUSTER_IP,
                                List.of(http(80)),
                                List.of(ready(8080, "10.1.0.1")),
                                T0,
                                java.util.Optional.of(report.conditions())));
        assertThat(actions(shown.plan(), "a")).noneMatch(MirrorPlan.ReportExport.class::isInstance);
        assertThat(actions(
                        World.of("a", "b")
                                .exports("a", web(T0, ready(8080, "10.1.0.1")))
                                .plan(),
                        "a"))
                .as("an export by label has no object to report to")
                .isEmpty();
    }

    static MirrorInput.Export namedExport(String name) {
        return new MirrorInput.Export(
                "shop", name, ServiceType.HEADLESS, List.of(http(80)), List.of(ready(80, "10.1.0.9")), T0);
    }
}
