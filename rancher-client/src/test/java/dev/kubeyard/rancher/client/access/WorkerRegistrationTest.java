package dev.kubeyard.rancher.client.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerRegistrationTest {

    private final RegistrationToken token = Fixtures.read("v3/registration-token.json", RegistrationToken.class);

    @Test
    void joinsAsWorkerOnlyWithTheNodeCommandOfTheToken() {
        String cmd = new WorkerRegistration().command(token);

        assertThat(cmd).startsWith("curl -fL https://rancher.example.com/system-agent-install.sh");
        assertThat(cmd).endsWith(" --worker");
        assertThat(cmd).doesNotContain("--etcd", "--controlplane", "--all-roles", "-e ", "-p ");
    }

    @Test
    void addsNodeNameAddressesLabelsAndTaintsShellQuoted() {
        String cmd = new WorkerRegistration()
                .nodeName("user-srv-01")
                .address("203.0.113.10")
                .internalAddress("10.0.0.10")
                .label("kubeyard.dev/byo", "true")
                .label("owner", "Jane Doe's team")
                .taint("dedicated", "gpu", "NoSchedule")
                .command(token);

        assertThat(cmd)
                .contains(" --worker --node-name user-srv-01 --address 203.0.113.10 --internal-address 10.0.0.10")
                .contains(" --label kubeyard.dev/byo=true")
                .contains(" --label 'owner=Jane Doe'\\''s team'")
                .contains(" --taint dedicated=gpu:NoSchedule");
    }

    @Test
    void refusesATokenWhoseCommandIsNotFilledInYet() {
        RegistrationToken empty = new RegistrationToken(
                "c-m-x:default-token",
                "c-m-x",
                "default-token",
                "active",
                null,
                null,
                null,
                null,
                "",
                null,
                null,
                null,
                Map.of());

        assertThatThrownBy(() -> new WorkerRegistration().command(empty)).isInstanceOf(IllegalStateException.class);
    }
}
