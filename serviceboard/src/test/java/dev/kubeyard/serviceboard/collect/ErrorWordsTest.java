package dev.kubeyard.serviceboard.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ErrorWordsTest {

    @Test
    void aProxyErrorSaysItsStatusAndRanchersPlainTextAnswerWithoutTheUrl() {
        KubernetesClientException e = new KubernetesClientException(
                "Failure executing: GET at: https://rancher.example.com/k8s/clusters/c-m-1/version. Message: dial tcp"
                        + " 10.0.0.5:6443: connect: connection refused. Received status: Status(code=502).",
                502,
                new StatusBuilder().withCode(502).withMessage("Bad Gateway").build());
        assertThat(ClusterCollector.describe(e))
                .isEqualTo("HTTP 502: dial tcp 10.0.0.5:6443: connect: connection refused");
    }

    @Test
    void aStatusWithoutAMessageTextSaysTheStatusMessage() {
        KubernetesClientException e = new KubernetesClientException(new StatusBuilder()
                .withCode(403)
                .withMessage("services is forbidden")
                .build());
        assertThat(ClusterCollector.describe(e)).startsWith("HTTP 403").contains("forbidden");
    }

    @Test
    void aConnectionFailureSaysItsCauseOnOneLine() {
        RuntimeException e = new RuntimeException(null, new ConnectException("Connection refused\nmore"));
        assertThat(ClusterCollector.describe(e)).isEqualTo("Connection refused");
    }
}
