package dev.kubeyard.rancher.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.rancher.client.internal.RancherErrors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RancherErrorsTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(
                        "v3 field validation",
                        422,
                        "application/json",
                        Fixtures.text("errors/v3-invalid-field.json"),
                        RancherInvalidRequestException.class,
                        "MissingRequired",
                        "clusterId is required",
                        "clusterId"),
                Arguments.of(
                        "v3 removed action",
                        422,
                        "application/json",
                        Fixtures.text("errors/v3-invalid-action.json"),
                        RancherInvalidRequestException.class,
                        "InvalidAction",
                        "Invalid action: backupEtcd",
                        null),
                Arguments.of(
                        "v1 stale resourceVersion",
                        409,
                        "application/json",
                        Fixtures.text("errors/v1-conflict.json"),
                        RancherConflictException.class,
                        "Conflict",
                        "the object has been modified",
                        null),
                Arguments.of(
                        "v1 name taken",
                        409,
                        "application/json",
                        Fixtures.text("errors/v1-already-exists.json"),
                        RancherAlreadyExistsException.class,
                        "AlreadyExists",
                        "already exists",
                        null),
                Arguments.of(
                        "webhook denial",
                        400,
                        "application/json",
                        Fixtures.text("errors/v1-webhook-denied.json"),
                        RancherInvalidRequestException.class,
                        "BadRequest",
                        "denied the request",
                        null),
                Arguments.of(
                        "auth filter, status as string",
                        401,
                        "application/json",
                        Fixtures.text("errors/auth-401.json"),
                        RancherUnauthorizedException.class,
                        "Unauthorized",
                        "must authenticate",
                        null),
                Arguments.of(
                        "kubernetes Status through the proxy",
                        403,
                        "application/json",
                        Fixtures.text("errors/k8s-status-forbidden.json"),
                        RancherForbiddenException.class,
                        "Forbidden",
                        "cannot list resource",
                        null),
                Arguments.of(
                        "kubernetes Status with a field cause",
                        422,
                        "application/json",
                        Fixtures.text("errors/k8s-status-invalid.json"),
                        RancherInvalidRequestException.class,
                        "Invalid",
                        "is invalid",
                        "metadata.name"),
                Arguments.of(
                        "cluster router Go struct",
                        404,
                        "application/json",
                        Fixtures.text("errors/router-not-found.json"),
                        RancherNotFoundException.class,
                        "NotFound",
                        "failed to find cluster",
                        null),
                Arguments.of(
                        "proxy text while the agent is down",
                        500,
                        "text/plain; charset=utf-8",
                        Fixtures.text("errors/agent-disconnected.txt"),
                        RancherServerException.class,
                        "ServerError",
                        "cluster agent disconnected",
                        null),
                Arguments.of(
                        "unknown type: empty body",
                        404,
                        null,
                        "",
                        RancherNotFoundException.class,
                        "NotFound",
                        "not found",
                        null),
                Arguments.of(
                        "not JSON although it says so",
                        502,
                        "application/json",
                        "<html>bad gateway</html>",
                        RancherServerException.class,
                        "ServerError",
                        "bad gateway",
                        null),
                Arguments.of(
                        "throttled by the API server",
                        429,
                        "application/json",
                        "{\"type\":\"error\",\"code\":\"TooManyRequests\",\"message\":\"too many requests\",\"status\":429}",
                        RancherApiException.class,
                        "TooManyRequests",
                        "too many requests",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void mapsEachErrorShapeToATypedException(
            String shape,
            int status,
            String contentType,
            String body,
            Class<?> type,
            String code,
            String message,
            String field) {
        RancherApiException e = RancherErrors.from("GET", "/v1/x", status, contentType, body);

        assertThat(e).isExactlyInstanceOf(type);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.rancherMessage()).contains(message);
        assertThat(e.fieldName().orElse(null)).isEqualTo(field);
        assertThat(e.getMessage()).startsWith("GET /v1/x: " + status);
    }

    @ParameterizedTest(name = "status {0} transient: {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "400,false",
        "401,false",
        "404,false",
        "409,false",
        "422,false",
        "429,true",
        "500,true",
        "502,true",
        "503,true",
        "504,true"
    })
    void onlyOverloadAndOutagesAreTransient(int status, boolean transientFailure) {
        assertThat(RancherErrors.from("GET", "/v1/x", status, null, "").isTransient())
                .isEqualTo(transientFailure);
    }
}
