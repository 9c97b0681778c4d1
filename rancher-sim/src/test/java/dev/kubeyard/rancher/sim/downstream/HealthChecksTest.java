package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kube-apiserver's {@code /readyz}, {@code /livez} and {@code /healthz} texts. */
class HealthChecksTest {

    private static final ApiHealth ETCD_DOWN = ApiHealth.DEFAULT.withEtcd(false, 0);

    @Test
    void plainPathOfAHealthyServerAnswersOk() {
        HealthChecks.Answer a = HealthChecks.root("readyz", false, List.of(), ApiHealth.DEFAULT);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("ok");
    }

    @Test
    void verboseReadyzListsEveryCheckAndPasses() {
        String body =
                HealthChecks.root("readyz", true, List.of(), ApiHealth.DEFAULT).body();

        assertThat(body)
                .startsWith("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n"
                        + "[+]poststarthook/start-apiserver-admission-initializer ok\n")
                .contains("[+]shutdown ok\n")
                .endsWith("readyz check passed\n");
        assertThat(body.split("\n")).hasSize(HealthChecks.READYZ.size() + 1);
    }

    @Test
    void livezHasNoReadinessOnlyChecks() {
        String body =
                HealthChecks.root("livez", true, List.of(), ApiHealth.DEFAULT).body();

        assertThat(body)
                .startsWith("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]poststarthook/")
                .doesNotContain("[+]etcd-readiness ok", "[+]informer-sync ok", "[+]shutdown ok")
                .endsWith("livez check passed\n");
    }

    @Test
    void unhealthyEtcdFailsTheEtcdChecksWithTheListEvenWithoutVerbose() {
        HealthChecks.Answer readyz = HealthChecks.root("readyz", false, List.of(), ETCD_DOWN);
        HealthChecks.Answer livez = HealthChecks.root("livez", false, List.of(), ETCD_DOWN);

        assertThat(readyz.status()).isEqualTo(500);
        assertThat(readyz.body())
                .contains("[+]log ok\n[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\n")
                .endsWith("readyz check failed\n");
        assertThat(livez.status()).isEqualTo(500);
        assertThat(livez.body()).contains("[-]etcd failed: reason withheld\n").endsWith("livez check failed\n");
    }

    @Test
    void anExcludedCheckPassesAndAnUnknownExclusionIsWarnedAbout() {
        HealthChecks.Answer a = HealthChecks.root("readyz", true, List.of("etcd", "etcd-readiness", "nope"), ETCD_DOWN);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body())
                .contains("[+]etcd excluded: ok\n[+]etcd-readiness excluded: ok\n")
                .contains("warn: some health checks cannot be excluded: no matches for \"nope\"\n")
                .endsWith("readyz check passed\n");
    }

    @Test
    void aSingleCheckAnswersOkOrItsFailure() {
        ApiHealth informersDown = ApiHealth.DEFAULT.withCheck("informer-sync", false);

        assertThat(HealthChecks.single("readyz", "etcd", ApiHealth.DEFAULT))
                .isEqualTo(new HealthChecks.Answer(200, "ok"));
        assertThat(HealthChecks.single("readyz", "informer-sync", informersDown))
                .isEqualTo(new HealthChecks.Answer(500, "internal server error: informer-sync check failed\n"));
        assertThat(HealthChecks.single("livez", "informer-sync", informersDown))
                .as("livez has no such check")
                .isNull();
        assertThat(HealthChecks.root("livez", false, List.of(), informersDown).status())
                .isEqualTo(200);
    }

    @Test
    void aFailingPostStartHookShowsUnderItsFullName() {
        ApiHealth rbac = ApiHealth.DEFAULT.withCheck("poststarthook/rbac/bootstrap-roles", false);

        assertThat(HealthChecks.root("livez", false, List.of(), rbac).body())
                .contains("[-]poststarthook/rbac/bootstrap-roles failed: reason withheld\n");
        assertThat(HealthChecks.single("readyz", "poststarthook/rbac/bootstrap-roles", rbac)
                        .status())
                .isEqualTo(500);
    }
}
