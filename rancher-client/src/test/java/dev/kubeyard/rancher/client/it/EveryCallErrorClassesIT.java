package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.RancherServerException;
import dev.kubeyard.rancher.client.RancherTransportException;
import dev.kubeyard.rancher.client.RancherUnauthorizedException;
import dev.kubeyard.rancher.client.identity.ClusterRoleTemplateBinding;
import dev.kubeyard.rancher.client.identity.RancherUser;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.machineconfig.OpenstackConfigs;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.provisioning.RestoreMode;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call of the client, against each error class the simulator produces over HTTP: a token Rancher
 * refuses, Rancher failing (5xx), the connection dropped, and an object that is not there. Success of each
 * call is covered by the feature ITs next to this one.
 */
class EveryCallErrorClassesIT {

    @RegisterExtension
    static final RancherSimExtension SIM = RancherSimExtension.withOptions(SimOptions.defaults()
            .timing(SimTiming.fast())
            .token(SimSupport.TOKEN)
            .demoClusters(1));

    private static final String MISSING = "no-such-thing";
    private static final String MISSING_ID = "c-m-nosuch00";

    @AfterEach
    void clearFaults() {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":0}");
    }

    /** Every call, each naming objects that do not exist. */
    static Stream<Arguments> calls() {
        MachineConfig config = OpenstackConfigs.forPool("fleet-default", MISSING, "pool")
                .imageName("img")
                .build();
        MachineConfig existingName = MachineConfig.of(
                OpenstackConfigs.KIND,
                ObjectMeta.named("fleet-default", MISSING).withAnnotations(Map.of()),
                Map.of("imageName", "img"));
        ClusterRoleTemplateBinding binding =
                ClusterRoleTemplateBinding.forUser(MISSING_ID, MISSING, "cluster-member", Map.of());
        RancherUser missingUser = user(MISSING);
        return Stream.of(
                call("clusters().list", r -> r.clusters().list()),
                call("clusters().get", r -> r.clusters().get(MISSING)),
                call("clusters().create", r -> SimSupport.createCluster(r, "err-create", 1, 1, 1, Map.of())),
                call("clusters().delete", r -> r.clusters().delete(MISSING)),
                call("clusters().scalePool", r -> r.clusters().scalePool(MISSING, "workers", 2)),
                call("clusters().upgradeKubernetes", r -> r.clusters().upgradeKubernetes(MISSING, "v1.33.4+rke2r1")),
                call("clusters().rotateCertificates", r -> r.clusters().rotateCertificates(MISSING, List.of())),
                call("clusters().createEtcdSnapshot", r -> r.clusters().createEtcdSnapshot(MISSING)),
                call("clusters().restoreEtcdSnapshot", r -> r.clusters()
                        .restoreEtcdSnapshot(MISSING, "s", RestoreMode.NONE)),
                call("clusters().controlPlane", r -> r.clusters().controlPlane(MISSING)),
                call("clusters().etcdSnapshots", r -> r.clusters().etcdSnapshots(MISSING)),
                call("machines().list", r -> r.machines().list(MISSING)),
                call("machines().list pool", r -> r.machines().list(MISSING, "workers")),
                call("machines().get", r -> r.machines().get(MISSING)),
                call("machines().delete", r -> r.machines().delete(MISSING)),
                call("machines().markForScaleDown", r -> r.machines().markForScaleDown(MISSING)),
                call("machineConfigs().create", r -> r.machineConfigs().create(config)),
                call("machineConfigs().get", r -> r.machineConfigs().get(OpenstackConfigs.KIND, MISSING)),
                call("machineConfigs().update", r -> r.machineConfigs().update(existingName)),
                call("machineConfigs().delete", r -> r.machineConfigs().delete(OpenstackConfigs.KIND, MISSING)),
                call("kubeconfigs().generate", r -> r.kubeconfigs().generate(MISSING_ID)),
                call("registrationTokens().defaultToken", r -> r.registrationTokens()
                        .defaultToken(MISSING_ID)),
                call("registrationTokens().list", r -> r.registrationTokens().list(MISSING_ID)),
                call("registrationTokens().create", r -> r.registrationTokens().create(MISSING_ID)),
                call("tokens().create", r -> r.tokens().create("err", Duration.ZERO, null)),
                call("tokens().get", r -> r.tokens().get(MISSING)),
                call("tokens().list", r -> r.tokens().list()),
                call("tokens().delete", r -> r.tokens().delete(MISSING)),
                call("users().create", r -> r.users().create(user("err-create"))),
                call("users().ensure", r -> r.users().ensure(user("err-ensure"))),
                call("users().allowLogin", r -> r.users().allowLogin("err-login")),
                call("users().get", r -> r.users().get(MISSING)),
                call("users().list", r -> r.users().list(Map.of("kubeyard.dev/user", MISSING))),
                call("users().findByLabel", r -> r.users().findByLabel("kubeyard.dev/user", MISSING)),
                call("users().delete", r -> r.users().delete(MISSING)),
                call("clusterRoleBindings().create", r -> r.clusterRoleBindings()
                        .create(binding)),
                call("clusterRoleBindings().ensure", r -> r.clusterRoleBindings()
                        .ensure(binding)),
                call("clusterRoleBindings().get", r -> r.clusterRoleBindings().get(MISSING_ID, MISSING)),
                call("clusterRoleBindings().list", r -> r.clusterRoleBindings().list(MISSING_ID)),
                call("clusterRoleBindings().list labels", r -> r.clusterRoleBindings()
                        .list(null, Map.of("kubeyard.dev/user", MISSING))),
                call("clusterRoleBindings().listForUser", r -> r.clusterRoleBindings()
                        .listForUser(MISSING)),
                call("clusterRoleBindings().delete", r -> r.clusterRoleBindings()
                        .delete(MISSING_ID, MISSING)),
                call("userTokens().create", r -> r.userTokens()
                        .create(missingUser, MISSING_ID, Duration.ofHours(1), "err", Map.of())),
                call("userTokens().list", r -> r.userTokens().list(MISSING)),
                call("userTokens().list labels", r -> r.userTokens().list(Map.of("kubeyard.dev/user", MISSING))),
                call("userTokens().get", r -> r.userTokens().get(MISSING)),
                call("userTokens().delete", r -> r.userTokens().delete(MISSING)),
                call("userTokens().deleteAll", r -> r.userTokens().deleteAll(MISSING)));
    }

    private static RancherUser user(String name) {
        return RancherUser.of(name, name, name, Map.of());
    }

    /** The calls that name one object, which Rancher answers with 404 when it is missing. */
    static Stream<Arguments> callsOnAMissingObject() {
        List<String> singleObject = List.of(
                "clusters().get",
                "clusters().delete",
                "clusters().scalePool",
                "clusters().upgradeKubernetes",
                "clusters().rotateCertificates",
                "clusters().createEtcdSnapshot",
                "clusters().restoreEtcdSnapshot",
                "clusters().controlPlane",
                "machines().get",
                "machines().delete",
                "machines().markForScaleDown",
                "machineConfigs().get",
                "machineConfigs().update",
                "machineConfigs().delete",
                "kubeconfigs().generate",
                "registrationTokens().defaultToken",
                "tokens().get",
                "tokens().delete",
                "users().get",
                "users().delete",
                "clusterRoleBindings().create",
                "clusterRoleBindings().ensure",
                "clusterRoleBindings().get",
                "clusterRoleBindings().delete",
                "userTokens().create",
                "userTokens().get",
                "userTokens().delete");
        return calls().filter(a -> singleObject.contains((String) a.get()[0]));
    }

    private static Arguments call(String name, Consumer<RancherClient> call) {
        return Arguments.of(name, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void refusedTokenIsUnauthorized(String name, Consumer<RancherClient> call) {
        try (RancherClient wrong = SimSupport.client(SIM.sim().url(), "token-wrong:notthesecret", 0)) {
            assertThatThrownBy(() -> call.accept(wrong)).isInstanceOf(RancherUnauthorizedException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void failingRancherIsAServerError(String name, Consumer<RancherClient> call) {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":1.0,\"status\":503,\"pathPrefix\":\"/v\"}");
        try (RancherClient rancher = SimSupport.client(SIM.sim().url(), SimSupport.TOKEN, 1)) {
            assertThatThrownBy(() -> call.accept(rancher)).isInstanceOf(RancherServerException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void droppedConnectionIsATransportFailure(String name, Consumer<RancherClient> call) {
        SimSupport.admin(SIM.sim().url(), "/_sim/errors", "{\"rate\":1.0,\"mode\":\"reset\",\"pathPrefix\":\"/v\"}");
        try (RancherClient rancher = SimSupport.client(SIM.sim().url(), SimSupport.TOKEN, 1)) {
            assertThatThrownBy(() -> call.accept(rancher)).isInstanceOf(RancherTransportException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callsOnAMissingObject")
    void missingObjectIsNotFound(String name, Consumer<RancherClient> call) {
        try (RancherClient rancher = SimSupport.client(SIM.sim().url())) {
            assertThatThrownBy(() -> call.accept(rancher)).isInstanceOf(RancherNotFoundException.class);
        }
    }
}
