package dev.kubeyard.addons.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubernetesRangeTest {

    @Test
    void distributionSuffixesAndTheLeadingVDoNotCount() {
        KubernetesRange range = new KubernetesRange(">=1.30.0 <1.34.0");
        assertThat(range.supports("v1.33.5+rke2r1")).isTrue();
        assertThat(range.supports("1.30.0")).isTrue();
        assertThat(range.supports("v1.34.2+rke2r1")).isFalse();
        assertThat(range.supports("v1.29.9")).isFalse();
        assertThat(range.supports("")).isFalse();
    }

    @Test
    void anEmptyRangeSupportsEveryVersionAndAMalformedOneIsRefused() {
        assertThat(new KubernetesRange("").supports("v1.35.0")).isTrue();
        assertThatThrownBy(() -> new KubernetesRange("not a range")).isInstanceOf(IllegalArgumentException.class);
    }
}
