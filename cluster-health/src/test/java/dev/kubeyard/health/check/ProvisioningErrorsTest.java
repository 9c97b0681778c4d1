package dev.kubeyard.health.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.health.check.ProvisioningErrors.ErrorClass;
import dev.kubeyard.health.check.ProvisioningErrors.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whose mistake a provisioning error is, by the message the machine driver or Rancher reports: the table by row. */
class ProvisioningErrorsTest {

    static Stream<Arguments> messages() {
        return Stream.of(
                // the user's: the request or its node spec
                Arguments.argumentSet(
                        "quotaExceededIsTheUsersMistake",
                        "Error creating machine: Error in driver during machine creation: Quota exceeded for cores:"
                                + " Requested 8, but already used 20 of 20 cores",
                        Kind.USER,
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "aRequestExceedingTheQuotaIsTheUsersMistake",
                        "3 servers exceed the quota of project demo",
                        Kind.USER,
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "beingOverQuotaIsTheUsersMistake",
                        "project demo is over quota for floating IPs",
                        Kind.USER,
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "insufficientQuotaIsTheUsersMistake",
                        "Insufficient quota to create 3 servers",
                        Kind.USER,
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "anImageTheCloudCannotFindIsTheUsersMistake",
                        "Image ubuntu-24.04 could not be found. (HTTP 404) (Request-ID: req-1a2b)",
                        Kind.USER,
                        "ImageNotFound"),
                Arguments.argumentSet(
                        "anImageTheDriverCannotFindIsTheUsersMistake",
                        "Unable to find image ID for name ubuntu-24.04",
                        Kind.USER,
                        "ImageNotFound"),
                Arguments.argumentSet(
                        "anInvalidImageRefIsTheUsersMistake",
                        "Invalid imageRef provided. (HTTP 400)",
                        Kind.USER,
                        "ImageNotFound"),
                Arguments.argumentSet(
                        "aMissingFlavorIsTheUsersMistake",
                        "Flavor m1.huge could not be found. (HTTP 404)",
                        Kind.USER,
                        "FlavorNotFound"),
                Arguments.argumentSet(
                        "aFlavorTheDriverCannotFindIsTheUsersMistake",
                        "Unable to find flavor named m1.huge",
                        Kind.USER,
                        "FlavorNotFound"),
                Arguments.argumentSet(
                        "aMissingNetworkIsTheUsersMistake",
                        "Unable to find network with name tenant-net",
                        Kind.USER,
                        "NetworkNotFound"),
                Arguments.argumentSet(
                        "aNetworkTheCloudCannotFindIsTheUsersMistake",
                        "Network 3f2c9e0a could not be found.",
                        Kind.USER,
                        "NetworkNotFound"),
                Arguments.argumentSet(
                        "aMissingKeyPairIsTheUsersMistake",
                        "Keypair kubeyard-key not found for user 42",
                        Kind.USER,
                        "KeypairNotFound"),
                Arguments.argumentSet(
                        "aKeyPairTheDriverCannotFindIsTheUsersMistake",
                        "Could not find key pair kubeyard-key",
                        Kind.USER,
                        "KeypairNotFound"),
                // the platform's: the cloud or Rancher
                Arguments.argumentSet(
                        "noValidHostIsThePlatformsCapacity",
                        "No valid host was found. There are not enough hosts available.",
                        Kind.PLATFORM,
                        "NoCapacity"),
                Arguments.argumentSet(
                        "insufficientCapacityIsThePlatformsCapacity",
                        "Insufficient capacity in availability zone nova-2",
                        Kind.PLATFORM,
                        "NoCapacity"),
                Arguments.argumentSet(
                        "aFailedAuthenticationIsThePlatformsCredentials",
                        "Authentication failed: The request you have made requires authentication. (HTTP 401)",
                        Kind.PLATFORM,
                        "CloudCredentialsRefused"),
                Arguments.argumentSet(
                        "aBare401IsThePlatformsCredentials",
                        "POST https://keystone.cloud.example:5000/v3/auth/tokens: 401",
                        Kind.PLATFORM,
                        "CloudCredentialsRefused"),
                Arguments.argumentSet(
                        "anIoTimeoutIsThePlatformsInfrastructure",
                        "dial tcp 10.0.0.5:5000: i/o timeout",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "anUnknownHostIsThePlatformsInfrastructure",
                        "dial tcp: lookup keystone.cloud.example on 10.43.0.10:53: no such host",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "aDeadlineIsThePlatformsInfrastructure",
                        "Post \"https://nova.cloud.example:8774/v2.1/servers\": context deadline exceeded",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "aTlsHandshakeTimeoutIsThePlatformsInfrastructure",
                        "net/http: TLS handshake timeout",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "a503IsThePlatformsInfrastructure",
                        "Expected HTTP response code [202] but got 503 instead",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "aRefusedConnectionIsThePlatformsInfrastructure",
                        "connect: connection refused",
                        Kind.PLATFORM,
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "aRancherFailureIsThePlatforms",
                        "failed to apply plan: rancher-system-agent exited with code 1",
                        Kind.PLATFORM,
                        "RancherError"),
                Arguments.argumentSet(
                        "aDeniedAdmissionIsThePlatforms",
                        "admission webhook \"validation.example.io\" denied the request",
                        Kind.PLATFORM,
                        "RancherError"),
                // the first rule that matches wins: the user's mistakes come first
                Arguments.argumentSet(
                        "aQuotaRefusedWithAnHttpStatusIsStillTheUsersMistake",
                        "Quota exceeded for instances (HTTP 503)",
                        Kind.USER,
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "aMissingImageReportedByRancherIsStillTheUsersMistake",
                        "rancher-machine: Image ubuntu-24.04 could not be found",
                        Kind.USER,
                        "ImageNotFound"),
                Arguments.argumentSet(
                        "capacityBeatsRancherInTheSameMessage",
                        "cattle-system: No valid host was found",
                        Kind.PLATFORM,
                        "NoCapacity"),
                // matching ignores case
                Arguments.argumentSet(
                        "anUpperCaseQuotaErrorIsTheUsersMistake", "QUOTA EXCEEDED", Kind.USER, "QuotaExceeded"),
                // no rule
                Arguments.argumentSet("anUnknownMessageIsUnclassified", "exit status 1", Kind.UNKNOWN, "Unclassified"),
                Arguments.argumentSet(
                        "aNumberThatContains401IsNoAuthenticationFailure",
                        "server 14012 went to state ERROR",
                        Kind.UNKNOWN,
                        "Unclassified"),
                Arguments.argumentSet("anEmptyMessageIsUnclassified", "", Kind.UNKNOWN, "Unclassified"),
                Arguments.argumentSet("noMessageIsUnclassified", null, Kind.UNKNOWN, "Unclassified"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void anErrorIsTheUsersOrThePlatformsByItsMessage(String message, Kind kind, String reason) {
        ErrorClass c = ProvisioningErrors.classify(message);

        assertThat(c.kind()).isEqualTo(kind);
        assertThat(c.reason()).isEqualTo(reason);
        assertThat(c.advice()).isNotBlank();
    }

    @Test
    void noProgressWithoutAnErrorIsThePlatforms() {
        ErrorClass c = ProvisioningErrors.noProgress();

        assertThat(c.kind()).isEqualTo(Kind.PLATFORM);
        assertThat(c.reason()).isEqualTo("NoProgress");
        assertThat(c.advice()).contains("the platform team");
    }

    @Test
    void eachKindHasItsWireName() {
        assertThat(Stream.of(Kind.values()).map(Kind::wireName)).containsExactly("User", "Platform", "Unknown");
    }
}
