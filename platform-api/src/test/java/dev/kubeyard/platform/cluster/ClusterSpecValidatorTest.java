package dev.kubeyard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.kubeyard.platform.cluster.ClusterSpec.HealingSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodeSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.TaintSpec;
import dev.kubeyard.platform.cluster.ClusterSpecValidator.Limits;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link ClusterSpecValidator} from tables: a valid spec passes, and each broken variant of it names
 * exactly the one field at fault, with a detail that carries the values involved.
 */
class ClusterSpecValidatorTest {

    private static final String V131 = "v1.31.0+rke2r1";
    private static final String V132 = "v1.32.9+rke2r1";
    private static final String V133 = "v1.33.5+rke2r1";
    private static final String V134 = "v1.34.2+rke2r1";
    private static final long MAX_TTL = 2_592_000;

    /** The defaults of {@link PlatformConfig.Clusters}. */
    private static final Limits LIMITS = new Limits(List.of(V132, V133, V134), 0, 100, 20, MAX_TTL);

    private static final String CLUSTER = "prod-eu-1";

    private static final NodeSpec NODE =
            new NodeSpec("ubuntu-24.04", "m1.large", "private", Map.of("bootFromVolume", true));

    /** 3 etcd and control-plane nodes. */
    private static final NodePoolSpec CONTROL =
            new NodePoolSpec("control", List.of("etcd", "controlplane"), 3, NODE, Map.of(), List.of());

    /** 2 workers, labelled and tainted. */
    private static final NodePoolSpec WORKERS = new NodePoolSpec(
            "workers",
            List.of("worker"),
            2,
            NODE,
            Map.of("kubeyard.dev/pool", "workers"),
            List.of(new TaintSpec("dedicated", "apps", "NoSchedule")));

    private final ClusterSpecValidator validator = new ClusterSpecValidator(LIMITS);

    // ---- create -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource
    void acceptsAValidSpec(ClusterSpec spec) {
        assertThat(validator.validate(CLUSTER, spec, Optional.empty())).isEmpty();
    }

    static Stream<Arguments> acceptsAValidSpec() {
        return Stream.of(
                argumentSet("acceptsTheBaselineSpec", valid()),
                argumentSet("acceptsOneNodeWithEveryRole", pools(pool("all", 1, "etcd", "controlplane", "worker"))),
                argumentSet("acceptsRolesInAnyOrder", pools(pool("control", 3, "controlplane", "etcd"), WORKERS)),
                argumentSet("acceptsFiveEtcdNodes", pools(CONTROL.withQuantity(5), WORKERS)),
                argumentSet(
                        "acceptsAnOddEtcdCountSplitOverPools",
                        pools(pool("etcd", 1, "etcd"), pool("etcd-cp", 2, "etcd", "controlplane"), WORKERS)),
                argumentSet(
                        "acceptsAWorkerPoolScaledToZeroBesideAnotherWorkerPool",
                        pools(CONTROL, WORKERS, pool("batch", 0, "worker"))),
                argumentSet("acceptsTheMostNodePoolsAllowed", pools(manyPools(20))),
                argumentSet("acceptsTheLargestQuantityAllowed", pools(CONTROL, WORKERS.withQuantity(100))),
                argumentSet("acceptsAOneLetterPoolName", pools(CONTROL, named(WORKERS, "w"))),
                argumentSet("acceptsA63CharacterPoolName", pools(CONTROL, named(WORKERS, "w".repeat(63)))),
                argumentSet("acceptsATeamOf63Characters", team("t".repeat(63))),
                argumentSet("acceptsEachSupportedVersion", version(V132)),
                argumentSet("acceptsTheNewestSupportedVersion", version(V134)),
                argumentSet("acceptsNoTimeToLive", ttl(null)),
                argumentSet("acceptsATimeToLiveOfOneMinute", ttl(60L)),
                argumentSet("acceptsTheLongestTimeToLive", ttl(MAX_TTL)),
                argumentSet("acceptsNoLabels", labels(Map.of())),
                argumentSet("acceptsAnEmptyLabelValue", labels(Map.of("tier", ""))),
                argumentSet(
                        "acceptsLabelsWithPrefixDotsUnderscoresAndMaximumLengths",
                        labels(Map.of(
                                "a.b-c.example.com/Name_1.x",
                                "Value_1.x-y",
                                "n".repeat(63),
                                "v".repeat(63),
                                "p".repeat(253) + "/n",
                                "1"))),
                argumentSet(
                        "acceptsATaintWithoutValue",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("gpu", null, "NoExecute")))),
                argumentSet(
                        "acceptsEveryTaintEffect",
                        pools(
                                CONTROL,
                                taints(
                                        WORKERS,
                                        new TaintSpec("a", "", "NoSchedule"),
                                        new TaintSpec("example.com/b", "x", "PreferNoSchedule"),
                                        new TaintSpec("a", "", "NoExecute")))),
                argumentSet(
                        "acceptsANodeSpecWithoutSettings",
                        pools(CONTROL, nodeSpec(WORKERS, new NodeSpec("img", "flavor", "net", null)))),
                argumentSet("acceptsNoEngineOptions", engineOptions(Map.of())),
                argumentSet(
                        "acceptsAPoolsOwnHealingRules",
                        pools(CONTROL, healing(WORKERS, new HealingSpec(900, 1800, 1800, 50, 1, 3, true)))),
                argumentSet(
                        "acceptsHealingRulesThatNameOnlySome",
                        pools(CONTROL, healing(WORKERS, new HealingSpec(null, null, null, 0, 0, 0, null)))));
    }

    @ParameterizedTest
    @MethodSource
    void rejectsABrokenSpecNamingTheFieldAtFault(ClusterSpec spec, String field, String detail) {
        assertThat(validator.validate(CLUSTER, spec, Optional.empty()))
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo(field);
                    assertThat(error.detail()).contains(detail);
                });
    }

    static Stream<Arguments> rejectsABrokenSpecNamingTheFieldAtFault() {
        String supported = "v1.32.9+rke2r1, v1.33.5+rke2r1, v1.34.2+rke2r1";
        return Stream.of(
                argumentSet(
                        "rejectsAHealingTimeoutOfZero",
                        pools(CONTROL, healing(WORKERS, new HealingSpec(0, null, null, null, null, null, null))),
                        "nodePools[1].healing.notReadyTimeoutSeconds",
                        "must be from 1 to 604800, was 0"),
                argumentSet(
                        "rejectsAHealingShareAboveAHundredPercent",
                        pools(CONTROL, healing(WORKERS, new HealingSpec(null, null, null, 101, null, null, null))),
                        "nodePools[1].healing.maxUnhealthyPercent",
                        "must be from 0 to 100"),
                argumentSet(
                        "rejectsANegativeHealingBudget",
                        pools(CONTROL, healing(WORKERS, new HealingSpec(null, null, null, null, null, -1, null))),
                        "nodePools[1].healing.maxPerHour",
                        "was -1"),
                // team
                argumentSet("rejectsAMissingTeam", team(null), "team", "is required"),
                argumentSet("rejectsAnEmptyTeam", team(""), "team", "is required"),
                argumentSet("rejectsAnUpperCaseTeam", team("Payments"), "team", "DNS-1123 label"),
                argumentSet("rejectsATeamStartingWithAHyphen", team("-payments"), "team", "was \"-payments\""),
                argumentSet("rejectsATeamEndingWithAHyphen", team("payments-"), "team", "was \"payments-\""),
                argumentSet("rejectsATeamWithADot", team("pay.ments"), "team", "DNS-1123 label"),
                argumentSet(
                        "rejectsATeamLongerThan63Characters",
                        team("t".repeat(64)),
                        "team",
                        "at most 63 characters, was 64"),
                // kubernetesVersion
                argumentSet(
                        "rejectsAMissingVersion",
                        version(null),
                        "kubernetesVersion",
                        "is required; supported versions: " + supported),
                argumentSet("rejectsABlankVersion", version(" "), "kubernetesVersion", "is required"),
                argumentSet(
                        "rejectsAnUnsupportedVersion",
                        version(V131),
                        "kubernetesVersion",
                        "\"v1.31.0+rke2r1\" is not a supported version; choose one of " + supported),
                argumentSet(
                        "rejectsAVersionThatIsNoVersion",
                        version("latest"),
                        "kubernetesVersion",
                        "\"latest\" is not a supported version"),
                argumentSet(
                        "rejectsASupportedVersionWithoutItsBuild",
                        version("v1.33.5"),
                        "kubernetesVersion",
                        "choose one of"),
                // cluster labels
                argumentSet(
                        "rejectsALabelKeyWithASpace",
                        labels(Map.of("bad key", "x")),
                        "labels[\"bad key\"]",
                        "\"bad key\" is not a valid label key"),
                argumentSet("rejectsAnEmptyLabelKey", labels(Map.of("", "x")), "labels[\"\"]", "must not be empty"),
                argumentSet(
                        "rejectsALabelKeyWithAnUpperCasePrefix",
                        labels(Map.of("Kubeyard.dev/tier", "x")),
                        "labels[\"Kubeyard.dev/tier\"]",
                        "DNS subdomain"),
                argumentSet(
                        "rejectsALabelKeyWithAnEmptyPrefix",
                        labels(Map.of("/tier", "x")),
                        "labels[\"/tier\"]",
                        "prefix before '/' must be 1 to 253 characters, was 0"),
                argumentSet(
                        "rejectsALabelKeyWithAPrefixLongerThan253Characters",
                        labels(Map.of("p".repeat(254) + "/tier", "x")),
                        "labels[\"" + "p".repeat(254) + "/tier\"]",
                        "was 254"),
                argumentSet(
                        "rejectsALabelKeyWithTwoSlashes",
                        labels(Map.of("a/b/c", "x")),
                        "labels[\"a/b/c\"]",
                        "the name \"b/c\""),
                argumentSet(
                        "rejectsALabelKeyWithAnEmptyName",
                        labels(Map.of("kubeyard.dev/", "x")),
                        "labels[\"kubeyard.dev/\"]",
                        "the name must be 1 to 63 characters, was 0"),
                argumentSet(
                        "rejectsALabelKeyNameLongerThan63Characters",
                        labels(Map.of("n".repeat(64), "x")),
                        "labels[\"" + "n".repeat(64) + "\"]",
                        "was 64"),
                argumentSet(
                        "rejectsALabelKeyEndingInADot",
                        labels(Map.of("tier.", "x")),
                        "labels[\"tier.\"]",
                        "starting and ending with a letter or digit"),
                argumentSet(
                        "rejectsALabelKeyWithAQuoteEscapingItInTheField",
                        labels(Map.of("a\"b", "x")),
                        "labels[\"a\\\"b\"]",
                        "not a valid label key"),
                argumentSet(
                        "rejectsALabelValueLongerThan63Characters",
                        labels(Map.of("tier", "v".repeat(64))),
                        "labels[\"tier\"]",
                        "at most 63 characters, was 64"),
                argumentSet(
                        "rejectsALabelValueEndingInAHyphen",
                        labels(Map.of("tier", "gold-")),
                        "labels[\"tier\"]",
                        "\"gold-\" may hold only"),
                argumentSet(
                        "rejectsALabelValueWithASlash", labels(Map.of("tier", "a/b")), "labels[\"tier\"]", "\"a/b\""),
                argumentSet(
                        "rejectsANullLabelValue",
                        labels(mapOf("tier", null)),
                        "labels[\"tier\"]",
                        "use \"\" for an empty value"),
                // timeToLiveSeconds
                argumentSet(
                        "rejectsATimeToLiveUnderAMinute", ttl(59L), "timeToLiveSeconds", "from 60 to 2592000 seconds"),
                argumentSet("rejectsANegativeTimeToLive", ttl(-1L), "timeToLiveSeconds", "was -1"),
                argumentSet("rejectsATimeToLiveOverTheMaximum", ttl(MAX_TTL + 1), "timeToLiveSeconds", "was 2592001"),
                // nodePools as a whole
                argumentSet("rejectsMissingNodePools", valid().withNodePools(null), "nodePools", "needs 1 to 20"),
                argumentSet("rejectsNoNodePools", pools(), "nodePools", "needs 1 to 20 node pools"),
                argumentSet(
                        "rejectsMoreNodePoolsThanAllowed",
                        pools(manyPools(21)),
                        "nodePools",
                        "has 21 node pools, at most 20 are allowed"),
                argumentSet("rejectsANullPool", pools(CONTROL, WORKERS, null), "nodePools[2]", "not null"),
                // pool names
                argumentSet(
                        "rejectsAPoolWithoutName",
                        pools(CONTROL, named(WORKERS, null)),
                        "nodePools[1].name",
                        "required"),
                argumentSet(
                        "rejectsAPoolNameWithAnUnderscore",
                        pools(CONTROL, named(WORKERS, "my_workers")),
                        "nodePools[1].name",
                        "was \"my_workers\""),
                argumentSet(
                        "rejectsAPoolNameLongerThan63Characters",
                        pools(CONTROL, named(WORKERS, "w".repeat(64))),
                        "nodePools[1].name",
                        "at most 63 characters, was 64"),
                argumentSet(
                        "rejectsADuplicatePoolName",
                        pools(CONTROL, WORKERS, WORKERS.withQuantity(1)),
                        "nodePools[2].name",
                        "pool name \"workers\" is already used by nodePools[1]"),
                // roles
                argumentSet(
                        "rejectsAPoolWithoutRoles",
                        pools(CONTROL, roles(WORKERS, (String[]) null)),
                        "nodePools[1].roles",
                        "needs at least one role: etcd, controlplane, worker"),
                argumentSet(
                        "rejectsAPoolWithAnEmptyRoleList",
                        pools(CONTROL, roles(WORKERS)),
                        "nodePools[1].roles",
                        "needs at least one role"),
                argumentSet(
                        "rejectsAnUnknownRole",
                        pools(CONTROL, roles(WORKERS, "worker", "master")),
                        "nodePools[1].roles[1]",
                        "must be one of etcd, controlplane, worker, was \"master\""),
                argumentSet(
                        "rejectsARoleInTheWrongCase",
                        pools(CONTROL, roles(WORKERS, "Worker")),
                        "nodePools[1].roles[0]",
                        "was \"Worker\""),
                argumentSet(
                        "rejectsANullRole",
                        pools(CONTROL, roles(WORKERS, "worker", null)),
                        "nodePools[1].roles[1]",
                        "was null"),
                argumentSet(
                        "rejectsARepeatedRole",
                        pools(CONTROL, roles(WORKERS, "worker", "worker")),
                        "nodePools[1].roles[1]",
                        "role \"worker\" is already listed at roles[0]"),
                // quantity
                argumentSet(
                        "rejectsAPoolWithoutQuantity",
                        pools(CONTROL, quantity(WORKERS, null)),
                        "nodePools[1].quantity",
                        "is required: the number of nodes, from 0 to 100"),
                argumentSet(
                        "rejectsANegativeQuantity",
                        pools(CONTROL, quantity(WORKERS, -1)),
                        "nodePools[1].quantity",
                        "must be from 0 to 100, was -1"),
                argumentSet(
                        "rejectsAQuantityOverTheMaximum",
                        pools(CONTROL, quantity(WORKERS, 101)),
                        "nodePools[1].quantity",
                        "must be from 0 to 100, was 101"),
                // nodeSpec
                argumentSet(
                        "rejectsAPoolWithoutNodeSpec",
                        pools(CONTROL, nodeSpec(WORKERS, null)),
                        "nodePools[1].nodeSpec",
                        "is required: the image, flavor and network"),
                argumentSet(
                        "rejectsAMissingImage",
                        pools(CONTROL, nodeSpec(WORKERS, new NodeSpec(null, "m1.large", "private", null))),
                        "nodePools[1].nodeSpec.image",
                        "is required"),
                argumentSet(
                        "rejectsABlankImage",
                        pools(CONTROL, nodeSpec(WORKERS, new NodeSpec("  ", "m1.large", "private", null))),
                        "nodePools[1].nodeSpec.image",
                        "is required"),
                argumentSet(
                        "rejectsAMissingFlavor",
                        pools(CONTROL, nodeSpec(WORKERS, new NodeSpec("ubuntu-24.04", null, "private", null))),
                        "nodePools[1].nodeSpec.flavor",
                        "is required"),
                argumentSet(
                        "rejectsAnEmptyNetwork",
                        pools(CONTROL, nodeSpec(WORKERS, new NodeSpec("ubuntu-24.04", "m1.large", "", null))),
                        "nodePools[1].nodeSpec.network",
                        "is required"),
                argumentSet(
                        "rejectsABlankSettingName",
                        pools(
                                CONTROL,
                                nodeSpec(
                                        WORKERS,
                                        new NodeSpec("ubuntu-24.04", "m1.large", "private", Map.of(" ", true)))),
                        "nodePools[1].nodeSpec.settings[\" \"]",
                        "setting names must not be blank"),
                // pool labels
                argumentSet(
                        "rejectsABadPoolLabelKey",
                        pools(CONTROL, labels(WORKERS, Map.of("node-role.kubernetes.io/", "x"))),
                        "nodePools[1].labels[\"node-role.kubernetes.io/\"]",
                        "the name must be 1 to 63 characters, was 0"),
                argumentSet(
                        "rejectsABadPoolLabelValue",
                        pools(CONTROL, labels(WORKERS, Map.of("tier", "gold silver"))),
                        "nodePools[1].labels[\"tier\"]",
                        "\"gold silver\""),
                // taints
                argumentSet(
                        "rejectsATaintWithoutKey",
                        pools(CONTROL, taints(WORKERS, new TaintSpec(null, "x", "NoSchedule"))),
                        "nodePools[1].taints[0].key",
                        "is required"),
                argumentSet(
                        "rejectsATaintWithABadKey",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("bad key", "x", "NoSchedule"))),
                        "nodePools[1].taints[0].key",
                        "\"bad key\" is not a valid taint key"),
                argumentSet(
                        "rejectsATaintWithABadValue",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("gpu", "has space", "NoSchedule"))),
                        "nodePools[1].taints[0].value",
                        "\"has space\""),
                argumentSet(
                        "rejectsATaintValueLongerThan63Characters",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("gpu", "v".repeat(64), "NoSchedule"))),
                        "nodePools[1].taints[0].value",
                        "at most 63 characters, was 64"),
                argumentSet(
                        "rejectsAnUnknownTaintEffect",
                        pools(
                                CONTROL,
                                taints(
                                        WORKERS,
                                        new TaintSpec("gpu", "x", "NoSchedule"),
                                        new TaintSpec("gpu", "x", "NoScheduling"))),
                        "nodePools[1].taints[1].effect",
                        "must be one of NoSchedule, PreferNoSchedule, NoExecute, was \"NoScheduling\""),
                argumentSet(
                        "rejectsATaintWithoutEffect",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("gpu", "x", null))),
                        "nodePools[1].taints[0].effect",
                        "was null"),
                argumentSet(
                        "rejectsANullTaint",
                        pools(CONTROL, taints(WORKERS, new TaintSpec("gpu", null, "NoSchedule"), null)),
                        "nodePools[1].taints[1]",
                        "not null"),
                argumentSet(
                        "rejectsTwoTaintsWithTheSameKeyAndEffect",
                        pools(
                                CONTROL,
                                taints(
                                        WORKERS,
                                        new TaintSpec("gpu", "a", "NoSchedule"),
                                        new TaintSpec("gpu", "b", "NoSchedule"))),
                        "nodePools[1].taints[1]",
                        "repeats the key \"gpu\" and effect NoSchedule of taints[0]"),
                // roles over all pools
                argumentSet(
                        "rejectsEvenEtcdCount",
                        pools(CONTROL.withQuantity(2), WORKERS),
                        "nodePools",
                        "an odd number of etcd nodes (1, 3, 5) is needed for quorum, found 2"),
                argumentSet(
                        "rejectsAnEvenEtcdCountSplitOverPools",
                        pools(CONTROL, pool("more-etcd", 1, "etcd"), WORKERS),
                        "nodePools",
                        "found 4"),
                argumentSet(
                        "rejectsNoEtcdNodes",
                        pools(pool("control", 1, "controlplane"), WORKERS),
                        "nodePools",
                        "an odd number of etcd nodes (1, 3, 5) is needed for quorum, found 0"),
                argumentSet(
                        "rejectsEtcdPoolsScaledToZero",
                        pools(CONTROL.withQuantity(0), pool("cp", 1, "controlplane"), WORKERS),
                        "nodePools",
                        "found 0"),
                argumentSet(
                        "rejectsNoControlPlanePool",
                        pools(pool("etcd", 3, "etcd"), WORKERS),
                        "nodePools",
                        "at least one control-plane node is needed, found 0"),
                argumentSet(
                        "rejectsAControlPlaneScaledToZero",
                        pools(pool("etcd", 3, "etcd"), pool("cp", 0, "controlplane"), WORKERS),
                        "nodePools",
                        "at least one control-plane node is needed"),
                argumentSet(
                        "rejectsNoWorkerPool",
                        pools(CONTROL),
                        "nodePools",
                        "at least one node with the worker role is needed to run workloads, found 0"),
                argumentSet(
                        "rejectsAllWorkersScaledToZero",
                        pools(CONTROL, WORKERS.withQuantity(0)),
                        "nodePools",
                        "at least one node with the worker role"),
                // engineOptions
                argumentSet(
                        "rejectsABlankEngineOptionName",
                        engineOptions(Map.of("", "calico")),
                        "engineOptions[\"\"]",
                        "engine option names must not be blank"));
    }

    @ParameterizedTest
    @MethodSource
    void rejectsABadClusterNameAsTheNameField(String name, String detail) {
        assertThat(validator.validate(name, valid(), Optional.empty()))
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo("name");
                    assertThat(error.detail()).contains(detail);
                });
    }

    static Stream<Arguments> rejectsABadClusterNameAsTheNameField() {
        return Stream.of(
                argumentSet("rejectsAMissingClusterName", null, "is required"),
                argumentSet("rejectsAnEmptyClusterName", "", "is required"),
                argumentSet("rejectsAnUpperCaseClusterName", "Prod-EU-1", "was \"Prod-EU-1\""),
                argumentSet("rejectsAClusterNameWithAnUnderscore", "prod_eu_1", "DNS-1123 label"),
                argumentSet("rejectsAClusterNameEndingWithAHyphen", "prod-", "DNS-1123 label"),
                argumentSet(
                        "rejectsAClusterNameLongerThan63Characters", "c".repeat(64), "at most 63 characters, was 64"));
    }

    @Test
    void reportsEveryErrorTogether() {
        ClusterSpec spec = new ClusterSpec(
                "Payments",
                V131,
                Map.of("bad key", "x"),
                10L,
                List.of(
                        CONTROL.withQuantity(2),
                        taints(WORKERS, new TaintSpec("gpu", null, "Sometimes")),
                        pool("Batch", 1, "worker")),
                Map.of("", "calico"));

        List<FieldError> errors = validator.validate("Prod", spec, Optional.empty());

        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "name",
                        "team",
                        "kubernetesVersion",
                        "labels[\"bad key\"]",
                        "timeToLiveSeconds",
                        "nodePools[1].taints[0].effect",
                        "nodePools[2].name",
                        "nodePools",
                        "engineOptions[\"\"]");
    }

    @Test
    void reportsEachRoleCountRuleThatFails() {
        ClusterSpec spec = pools(pool("only-etcd", 2, "etcd"));

        assertThat(validator.validate(CLUSTER, spec, Optional.empty()))
                .extracting(FieldError::detail)
                .hasSize(3)
                .anySatisfy(detail -> assertThat(detail).contains("odd number of etcd nodes"))
                .anySatisfy(detail -> assertThat(detail).contains("control-plane node"))
                .anySatisfy(detail -> assertThat(detail).contains("worker role"));
    }

    @Test
    void reportsAMissingQuantityOnceNotAlsoAsAMissingControlPlane() {
        ClusterSpec spec = pools(quantity(CONTROL, null), WORKERS);

        assertThat(validator.validate(CLUSTER, spec, Optional.empty()))
                .extracting(FieldError::field)
                .containsExactly("nodePools[0].quantity");
    }

    @Test
    void reportsAnOutOfRangeQuantityOnceNotAlsoAsAnEvenEtcdCount() {
        ClusterSpec spec = pools(CONTROL.withQuantity(-3), pool("cp", 1, "controlplane"), WORKERS);

        assertThat(validator.validate(CLUSTER, spec, Optional.empty()))
                .extracting(FieldError::field)
                .containsExactly("nodePools[0].quantity");
    }

    @Test
    void reportsEveryBrokenPoolByItsIndex() {
        ClusterSpec spec = pools(CONTROL, named(WORKERS, "Bad"), quantity(pool("batch", 1, "worker"), -5));

        assertThat(validator.validate(CLUSTER, spec, Optional.empty()))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("nodePools[1].name", "nodePools[2].quantity");
    }

    @Test
    void reportsABadLabelKeyAndItsBadValueBoth() {
        assertThat(validator.validate(CLUSTER, labels(Map.of("bad key", "bad value")), Optional.empty()))
                .extracting(FieldError::detail)
                .hasSize(2)
                .anySatisfy(detail -> assertThat(detail).contains("not a valid label key"))
                .anySatisfy(detail -> assertThat(detail).contains("the label value \"bad value\""));
    }

    // ---- update -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource
    void acceptsAValidUpdate(ClusterSpec current, ClusterSpec next) {
        assertThat(validator.validate(CLUSTER, next, Optional.of(current))).isEmpty();
    }

    static Stream<Arguments> acceptsAValidUpdate() {
        return Stream.of(
                argumentSet("acceptsTheSameSpecAgain", valid(), valid()),
                argumentSet("acceptsScalingAPool", valid(), pools(CONTROL, WORKERS.withQuantity(7))),
                argumentSet(
                        "acceptsANewPoolWithOtherRoles",
                        valid(),
                        pools(CONTROL, WORKERS, pool("etcd-extra", 2, "etcd", "worker"))),
                argumentSet("acceptsRemovingAPool", pools(CONTROL, WORKERS, pool("batch", 1, "worker")), valid()),
                argumentSet(
                        "acceptsTheSameRolesInAnotherOrder",
                        valid(),
                        pools(roles(CONTROL, "controlplane", "etcd"), WORKERS)),
                argumentSet(
                        "acceptsAPoolRecreatedUnderANewNameWithOtherRoles",
                        valid(),
                        pools(CONTROL, roles(named(WORKERS, "workers-v2"), "worker", "controlplane"))),
                argumentSet("acceptsAPatchUpgrade", version("v1.33.4+rke2r1"), version(V133)),
                argumentSet("acceptsOneMinorUpgrade", version(V132), version(V133)),
                argumentSet(
                        "acceptsStayingOnAVersionNoLongerSupported",
                        version(V131),
                        pools(CONTROL, WORKERS.withQuantity(5)).withKubernetesVersion(V131)),
                argumentSet("acceptsAnUpgradeFromAClusterWithoutVersion", version(null), version(V133)));
    }

    @ParameterizedTest
    @MethodSource
    void rejectsAnInvalidUpdateNamingTheFieldAtFault(
            ClusterSpec current, ClusterSpec next, String field, String detail) {
        assertThat(validator.validate(CLUSTER, next, Optional.of(current)))
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo(field);
                    assertThat(error.detail()).contains(detail);
                });
    }

    static Stream<Arguments> rejectsAnInvalidUpdateNamingTheFieldAtFault() {
        return Stream.of(
                argumentSet(
                        "rejectsAddingARoleToAnExistingPool",
                        valid(),
                        pools(CONTROL, roles(WORKERS, "worker", "controlplane")),
                        "nodePools[1].roles",
                        "roles of an existing pool cannot change; add a new pool instead"),
                argumentSet(
                        "rejectsReplacingTheRolesOfAnExistingPool",
                        pools(CONTROL, WORKERS, pool("infra", 1, "worker")),
                        pools(CONTROL, WORKERS, pool("infra", 1, "controlplane")),
                        "nodePools[2].roles",
                        "pool \"infra\" has [worker], asked for [controlplane]"),
                argumentSet(
                        "rejectsSkippingAMinorVersion",
                        version(V132),
                        version(V134),
                        "kubernetesVersion",
                        "upgrade one minor version at a time: v1.32 -> v1.33 first"),
                argumentSet(
                        "rejectsAMinorDowngrade",
                        version(V134),
                        version(V133),
                        "kubernetesVersion",
                        "downgrades are not supported: v1.33.5+rke2r1 is older than the cluster's current version"
                                + " v1.34.2+rke2r1"),
                argumentSet(
                        "rejectsAPatchDowngrade",
                        version("v1.33.6+rke2r1"),
                        version(V133),
                        "kubernetesVersion",
                        "downgrades are not supported"),
                argumentSet(
                        "rejectsMovingToAnUnsupportedVersion",
                        version(V131),
                        version("v1.31.1+rke2r1"),
                        "kubernetesVersion",
                        "is not a supported version"),
                argumentSet(
                        "rejectsDroppingTheVersion", version(V133), version(null), "kubernetesVersion", "is required"));
    }

    // ---- validateUpgrade ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource
    void acceptsAnUpgrade(String current, String target) {
        assertThat(validator.validateUpgrade(current, target)).isEmpty();
    }

    static Stream<Arguments> acceptsAnUpgrade() {
        return Stream.of(
                argumentSet("acceptsAPatchUpgrade", "v1.33.1+rke2r1", V133),
                argumentSet("acceptsABuildUpgrade", "v1.33.5+rke2r0", V133),
                argumentSet("acceptsOneMinorUpgrade", V133, V134),
                argumentSet("acceptsOneMinorUpgradeToALowerPatch", "v1.33.9+rke2r1", V134),
                argumentSet("acceptsStayingOnTheSameVersion", V133, V133),
                argumentSet("acceptsStayingOnAVersionNoLongerSupported", V131, V131),
                argumentSet("acceptsAnyUpgradeFromNoVersion", null, V132));
    }

    @ParameterizedTest
    @MethodSource
    void rejectsAnUpgradeAsTheKubernetesVersionField(String current, String target, String detail) {
        assertThat(validator.validateUpgrade(current, target)).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("kubernetesVersion");
            assertThat(error.detail()).contains(detail);
        });
    }

    static Stream<Arguments> rejectsAnUpgradeAsTheKubernetesVersionField() {
        return Stream.of(
                argumentSet(
                        "rejectsSkippingAMinorVersion",
                        V132,
                        V134,
                        "v1.32.9+rke2r1 to v1.34.2+rke2r1 skips v1.33; upgrade one minor version at a"
                                + " time: v1.32 -> v1.33 first"),
                argumentSet(
                        "rejectsSkippingThreeMinorVersions",
                        "v1.30.14+rke2r1",
                        V134,
                        "skips v1.31 to v1.33; upgrade one minor version at a time: v1.30 -> v1.31 first"),
                argumentSet(
                        "rejectsAMinorDowngrade",
                        V134,
                        V132,
                        "downgrades are not supported: v1.32.9+rke2r1 is older than the cluster's current version"
                                + " v1.34.2+rke2r1"),
                argumentSet("rejectsAPatchDowngrade", "v1.32.10+rke2r1", V132, "downgrades are not supported"),
                argumentSet("rejectsABuildDowngrade", "v1.33.5+rke2r2", V133, "downgrades are not supported"),
                argumentSet("rejectsAnUnsupportedTarget", V133, "v1.34.1+rke2r1", "is not a supported version"),
                argumentSet("rejectsAMissingTarget", V133, null, "is required; supported versions"),
                argumentSet(
                        "rejectsAnUpgradeFromAnUnreadableVersion",
                        "garbage",
                        V133,
                        "the current version \"garbage\" cannot be read"));
    }

    @Test
    void rejectsAnUpgradeAcrossMajorVersions() {
        ClusterSpecValidator withV2 =
                new ClusterSpecValidator(new Limits(List.of(V134, "v2.0.0+rke2r1"), 0, 100, 20, MAX_TTL));

        assertThat(withV2.validateUpgrade(V134, "v2.0.0+rke2r1"))
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo("kubernetesVersion");
                    assertThat(error.detail())
                            .isEqualTo(
                                    "upgrades across major versions are not supported: the cluster runs v1.34.2+rke2r1,"
                                            + " asked for v2.0.0+rke2r1");
                });
    }

    // ---- limits ---------------------------------------------------------------------------------------------------

    @Test
    void takesItsLimitsFromTheConfiguration() {
        PlatformConfig.Clusters config = new PlatformConfig.Clusters() {
            @Override
            public List<String> supportedVersions() {
                return List.of(V133);
            }

            @Override
            public int minPoolQuantity() {
                return 1;
            }

            @Override
            public int maxPoolQuantity() {
                return 9;
            }

            @Override
            public int maxNodePools() {
                return 4;
            }

            @Override
            public long maxTimeToLiveSeconds() {
                return 3600;
            }
        };

        assertThat(Limits.of(config)).isEqualTo(new Limits(List.of(V133), 1, 9, 4, 3600));
    }

    @ParameterizedTest
    @MethodSource
    void refusesLimitsThatCannotWork(Supplier<Limits> limits, String message) {
        assertThatThrownBy(() -> new ClusterSpecValidator(limits.get()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** Limits are built in the test, not while listing the rows, so that their constructor throws there. */
    static Stream<Arguments> refusesLimitsThatCannotWork() {
        return Stream.of(
                argumentSet(
                        "refusesNoSupportedVersions",
                        (Supplier<Limits>) () -> new Limits(List.of(), 0, 100, 20, MAX_TTL),
                        "at least one version"),
                argumentSet(
                        "refusesASupportedVersionThatIsNoVersion",
                        (Supplier<Limits>) () -> new Limits(List.of(V133, "1.34"), 0, 100, 20, MAX_TTL),
                        "supported-versions: \"1.34\" is not a Kubernetes version"),
                argumentSet(
                        "refusesANegativeMinimumQuantity",
                        (Supplier<Limits>) () -> new Limits(List.of(V133), -1, 100, 20, MAX_TTL),
                        "min-pool-quantity (-1)"),
                argumentSet(
                        "refusesAMaximumQuantityUnderTheMinimum",
                        (Supplier<Limits>) () -> new Limits(List.of(V133), 5, 4, 20, MAX_TTL),
                        "max-pool-quantity (4)"),
                argumentSet(
                        "refusesAMaximumQuantityOfZero",
                        (Supplier<Limits>) () -> new Limits(List.of(V133), 0, 0, 20, MAX_TTL),
                        "max-pool-quantity (0)"),
                argumentSet(
                        "refusesZeroNodePools",
                        (Supplier<Limits>) () -> new Limits(List.of(V133), 0, 100, 0, MAX_TTL),
                        "max-node-pools must be 1 or more, was 0"),
                argumentSet(
                        "refusesAMaximumTimeToLiveUnderAMinute",
                        (Supplier<Limits>) () -> new Limits(List.of(V133), 0, 100, 20, 59),
                        "max-time-to-live-seconds must be 60 or more, was 59"));
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    /** A valid spec: 3 etcd and control-plane nodes, 2 workers, labels, engine options. */
    private static ClusterSpec valid() {
        return new ClusterSpec(
                "payments",
                V133,
                Map.of("env", "prod", "kubeyard.dev/tier", "gold"),
                null,
                List.of(CONTROL, WORKERS),
                Map.of("cni", "calico"));
    }

    private static ClusterSpec team(String team) {
        ClusterSpec s = valid();
        return new ClusterSpec(
                team, s.kubernetesVersion(), s.labels(), s.timeToLiveSeconds(), s.nodePools(), s.engineOptions());
    }

    private static ClusterSpec version(String version) {
        return valid().withKubernetesVersion(version);
    }

    private static ClusterSpec labels(Map<String, String> labels) {
        ClusterSpec s = valid();
        return new ClusterSpec(
                s.team(), s.kubernetesVersion(), labels, s.timeToLiveSeconds(), s.nodePools(), s.engineOptions());
    }

    private static ClusterSpec ttl(Long seconds) {
        ClusterSpec s = valid();
        return new ClusterSpec(s.team(), s.kubernetesVersion(), s.labels(), seconds, s.nodePools(), s.engineOptions());
    }

    private static ClusterSpec engineOptions(Map<String, Object> options) {
        ClusterSpec s = valid();
        return new ClusterSpec(
                s.team(), s.kubernetesVersion(), s.labels(), s.timeToLiveSeconds(), s.nodePools(), options);
    }

    /** The valid spec with these pools (null entries allowed). */
    private static ClusterSpec pools(NodePoolSpec... pools) {
        return valid().withNodePools(Arrays.asList(pools));
    }

    /** The control pool and {@code count - 1} worker pools. */
    private static NodePoolSpec[] manyPools(int count) {
        List<NodePoolSpec> pools = new ArrayList<>(List.of(CONTROL));
        IntStream.range(1, count).forEach(i -> pools.add(named(WORKERS, "workers-" + i)));
        return pools.toArray(NodePoolSpec[]::new);
    }

    private static NodePoolSpec pool(String name, int quantity, String... roles) {
        return new NodePoolSpec(name, List.of(roles), quantity, NODE, Map.of(), List.of());
    }

    private static NodePoolSpec named(NodePoolSpec p, String name) {
        return new NodePoolSpec(name, p.roles(), p.quantity(), p.nodeSpec(), p.labels(), p.taints());
    }

    /** The pool with these roles; {@code (String[]) null} for none at all. */
    private static NodePoolSpec roles(NodePoolSpec p, String... roles) {
        List<String> list = roles == null ? null : Arrays.asList(roles);
        return new NodePoolSpec(p.name(), list, p.quantity(), p.nodeSpec(), p.labels(), p.taints());
    }

    private static NodePoolSpec quantity(NodePoolSpec p, Integer quantity) {
        return new NodePoolSpec(p.name(), p.roles(), quantity, p.nodeSpec(), p.labels(), p.taints());
    }

    private static NodePoolSpec nodeSpec(NodePoolSpec p, NodeSpec nodeSpec) {
        return new NodePoolSpec(p.name(), p.roles(), p.quantity(), nodeSpec, p.labels(), p.taints());
    }

    private static NodePoolSpec labels(NodePoolSpec p, Map<String, String> labels) {
        return new NodePoolSpec(p.name(), p.roles(), p.quantity(), p.nodeSpec(), labels, p.taints());
    }

    private static NodePoolSpec healing(NodePoolSpec p, HealingSpec healing) {
        return new NodePoolSpec(p.name(), p.roles(), p.quantity(), p.nodeSpec(), p.labels(), p.taints(), healing);
    }

    private static NodePoolSpec taints(NodePoolSpec p, TaintSpec... taints) {
        return new NodePoolSpec(p.name(), p.roles(), p.quantity(), p.nodeSpec(), p.labels(), Arrays.asList(taints));
    }

    /** A map with one entry whose value may be null, as JSON can send it ({@code Map.of} refuses null). */
    private static Map<String, String> mapOf(String key, String value) {
        Map<String, String> map = new HashMap<>();
        map.put(key, value);
        return map;
    }
}
