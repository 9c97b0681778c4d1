package dev.kubeyard.mirror.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SliceNamesTest {

    @Test
    void aShortNameIsTheServiceAndTheSourceCluster() {
        assertThat(SliceNames.of("web", "c-m-4x7p2", "")).isEqualTo("web-c-m-4x7p2");
    }

    @Test
    void aSecondSetOfPortsGetsItsOwnStableSuffix() {
        String ipv4 = SliceNames.of("web", "a", "IPv4 [http 8080/TCP]");
        String ipv6 = SliceNames.of("web", "a", "IPv6 [http 8080/TCP]");

        assertThat(ipv4).startsWith("web-a-").hasSize("web-a-".length() + 8).isNotEqualTo(ipv6);
        assertThat(SliceNames.of("web", "a", "IPv4 [http 8080/TCP]")).isEqualTo(ipv4);
    }

    @Test
    void aTooLongNameIsShortenedWithAHashAndStaysDistinct() {
        String service = "a-very-long-service-name-that-uses-most-of-the-sixty-three";
        String one = SliceNames.of(service, "c-m-aaaaaaa", "");
        String two = SliceNames.of(service, "c-m-bbbbbbb", "");

        assertThat(one).hasSizeLessThanOrEqualTo(SliceNames.MAX).doesNotContain("--");
        assertThat(one).startsWith(service.substring(0, 40)).isNotEqualTo(two);
        assertThat(SliceNames.of(service, "c-m-aaaaaaa", "")).isEqualTo(one);
    }
}
