package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The command line of the stand-alone simulator. */
class MainTest {

    @Test
    void defaultsArePort8443ThreeDemoClustersAndRealisticTiming() {
        SimOptions options = Main.parse(new String[0]);

        assertThat(options.port()).isEqualTo(8443);
        assertThat(options.demoClusters()).isEqualTo(3);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.token()).isEmpty();
        assertThat(options.timing()).isEqualTo(SimTiming.realistic());
    }

    @Test
    void everyOptionIsRead() {
        SimOptions options = Main.parse(new String[] {
            "--port",
            "0",
            "--clusters",
            "50",
            "--token",
            "token-a:b",
            "--host",
            "0.0.0.0",
            "--timing",
            "fast",
            "--demo-pools",
            "3,2,15",
            "--seed",
            "9"
        });

        assertThat(options.port()).isZero();
        assertThat(options.demoClusters()).isEqualTo(50);
        assertThat(options.token()).contains("token-a:b");
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.timing()).isEqualTo(SimTiming.fast());
        assertThat(options.demoPools()).contains(new SimOptions.DemoPools(3, 2, 15));
        assertThat(options.seed()).isEqualTo(9);
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--port"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> Main.parse(new String[] {"--clusters", "many"}))
                .hasMessageContaining("number");
        assertThatThrownBy(() -> Main.parse(new String[] {"--token", "nocolon"}))
                .hasMessageContaining("name:secret");
        assertThatThrownBy(() -> Main.parse(new String[] {"--colour", "red"})).hasMessageContaining("unknown option");
        assertThat(Main.parse(new String[] {"--help"})).isNull();
    }
}
