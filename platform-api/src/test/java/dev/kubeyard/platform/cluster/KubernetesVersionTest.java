package dev.kubeyard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            rke2 build                   | v1.33.5+rke2r1  | 1 | 33 | 5  | rke2r1
            k3s build                    | v1.33.5+k3s1    | 1 | 33 | 5  | k3s1
            no build                     | v1.33.5         | 1 | 33 | 5  | ''
            zeros                        | v0.0.0          | 0 | 0  | 0  | ''
            two-digit patch              | v1.32.10+rke2r2 | 1 | 32 | 10 | rke2r2
            dotted build with hyphen     | v1.31.0+rke2-r1.a | 1 | 31 | 0 | rke2-r1.a
            """)
    void readsMajorMinorPatchAndBuild(String row, String text, int major, int minor, int patch, String build) {
        KubernetesVersion version = KubernetesVersion.parse(text);

        assertThat(version).isEqualTo(new KubernetesVersion(major, minor, patch, build));
        assertThat(version.toString()).as("toString gives back the parsed text").isEqualTo(text);
        assertThat(KubernetesVersion.tryParse(text)).contains(version);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(
            strings = {
                "1.33.5+rke2r1",
                "v1.33",
                "v1.33.5.1",
                "v1.33.x",
                "v1.033.5",
                "v1.33.5+",
                "v1.33.5+rke2 r1",
                "v1.33.5-rc1",
                " v1.33.5",
                "V1.33.5",
                "v99999999999.1.1",
                "latest"
            })
    void rejectsJunkNamingTheTextAndTheExpectedForm(String text) {
        assertThatThrownBy(() -> KubernetesVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining("like v1.33.5+rke2r1");
        assertThat(KubernetesVersion.tryParse(text)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsAMissingVersionAsRequired(String text) {
        assertThatThrownBy(() -> KubernetesVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required");
        assertThat(KubernetesVersion.tryParse(text)).isEmpty();
    }

    @Test
    void rejectsNegativeNumbersAndABadBuildWhenBuiltDirectly() {
        assertThatThrownBy(() -> new KubernetesVersion(1, -1, 0, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.-1.0");
        assertThatThrownBy(() -> new KubernetesVersion(1, 33, 0, "rke2 r1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"rke2 r1\"");
        assertThat(new KubernetesVersion(1, 33, 0, null).build()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            patch is numeric              | v1.33.9+rke2r1  | v1.33.10+rke2r1
            minor is numeric              | v1.9.0+rke2r1   | v1.10.0+rke2r1
            major before minor            | v1.99.0         | v2.0.0
            minor before patch            | v1.32.99+rke2r1 | v1.33.0+rke2r1
            build release is numeric      | v1.33.5+rke2r2  | v1.33.5+rke2r10
            no build before a build       | v1.33.5         | v1.33.5+rke2r1
            a build before its own extension| v1.33.5+rke2r1 | v1.33.5+rke2r1.1
            """)
    void ordersOlderBeforeNewer(String row, String older, String newer) {
        KubernetesVersion a = KubernetesVersion.parse(older);
        KubernetesVersion b = KubernetesVersion.parse(newer);

        assertThat(a).isLessThan(b);
        assertThat(b).isGreaterThan(a);
        assertThat(a.isOlderThan(b)).isTrue();
        assertThat(b.isOlderThan(a)).isFalse();
    }

    @Test
    void comparesEqualOnlyToAnEqualVersion() {
        KubernetesVersion version = KubernetesVersion.parse("v1.33.5+rke2r1");

        assertThat(version).isEqualByComparingTo(KubernetesVersion.parse("v1.33.5+rke2r1"));
        assertThat(version.compareTo(KubernetesVersion.parse("v1.33.5+k3s1"))).isNotZero();
        assertThat(new KubernetesVersion(1, 33, 5, "r01").compareTo(new KubernetesVersion(1, 33, 5, "r1")))
                .as("same number, different text: not 0, as equals says they differ")
                .isNotZero();
    }

    @Test
    void sortsAListOfVersions() {
        List<KubernetesVersion> versions = new ArrayList<>(List.of(
                KubernetesVersion.parse("v1.34.2+rke2r1"),
                KubernetesVersion.parse("v1.32.10+rke2r1"),
                KubernetesVersion.parse("v1.32.9+rke2r1"),
                KubernetesVersion.parse("v1.33.5+rke2r1")));

        Collections.sort(versions);

        assertThat(versions)
                .extracting(KubernetesVersion::toString)
                .containsExactly("v1.32.9+rke2r1", "v1.32.10+rke2r1", "v1.33.5+rke2r1", "v1.34.2+rke2r1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            same minor line      | v1.33.5+rke2r1 | v1.33.1+rke2r1 | 0
            next minor           | v1.34.0+rke2r1 | v1.33.5+rke2r1 | 1
            two minors later     | v1.34.2+rke2r1 | v1.32.9+rke2r1 | 2
            one minor older      | v1.32.9+rke2r1 | v1.33.5+rke2r1 | -1
            """)
    void countsMinorsAfterAnotherVersion(String row, String version, String other, int minors) {
        assertThat(KubernetesVersion.parse(version).minorsAfter(KubernetesVersion.parse(other)))
                .isEqualTo(minors);
    }

    @Test
    void refusesToCountMinorsAcrossMajorVersions() {
        assertThatThrownBy(() -> KubernetesVersion.parse("v2.0.0").minorsAfter(KubernetesVersion.parse("v1.33.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v2.0.0")
                .hasMessageContaining("v1.33.5");
    }

    @Test
    void namesItsMinorLineAndTheNextOne() {
        KubernetesVersion version = KubernetesVersion.parse("v1.33.5+rke2r1");

        assertThat(version.minorLine()).isEqualTo("v1.33");
        assertThat(version.nextMinorLine()).isEqualTo("v1.34");
    }
}
