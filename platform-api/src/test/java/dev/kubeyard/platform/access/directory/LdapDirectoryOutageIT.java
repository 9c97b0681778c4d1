package dev.kubeyard.platform.access.directory;

import static dev.kubeyard.platform.access.directory.TestDirectory.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A directory that is down, restarts, hangs, or rejects the service account: every case is an exception that says
 * which it is, never "not found" and never "no groups", and no password ends up in a message or a log line. Each
 * test brings its own server, since most stop it.
 */
class LdapDirectoryOutageIT {

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = CapturedLog.ofDirectory();
    }

    @AfterEach
    void noSecretWasLogged() {
        try {
            Secrets.assertNoSecretIn(log);
        } finally {
            log.close();
        }
    }

    @Test
    void aStoppedDirectoryIsUnavailableNotAnUnknownUser() {
        TestDirectory server = TestDirectory.start();
        try (LdapDirectory directory = new LdapDirectory(server.settings().build())) {
            DirectoryUser alice = directory.findUser("alice").orElseThrow();

            server.stop();

            assertUnavailable(() -> directory.findUser("alice"));
            assertUnavailable(() -> directory.authenticate("alice", ALICE_PASSWORD.toCharArray()));
            assertUnavailable(() -> directory.groupsOf(alice));
            assertUnavailable(directory::check);
        }
    }

    @Test
    void aPooledConnectionBrokenByARestartIsReplacedOnTheNextCall() {
        TestDirectory first = TestDirectory.start();
        int port = first.port();
        try (LdapDirectory directory = new LdapDirectory(first.settings().build())) {
            DirectoryUser alice = directory.findUser("alice").orElseThrow();
            first.stop();

            try (TestDirectory second = TestDirectory.startOn(port)) {
                assertThat(second.port()).isEqualTo(port);
                assertThat(directory.groupsOf(alice)).contains("payments");
                assertThat(directory.authenticate("alice", ALICE_PASSWORD.toCharArray()))
                        .isPresent();
            }
        }
    }

    @Test
    void aDirectoryDownAtStartIsUnavailableUntilItIsUp() {
        int port = freePort();
        DirectorySettings settings = DirectorySettings.builder(
                        "ldap://127.0.0.1:" + port,
                        TestDirectory.SERVICE_DN,
                        TestDirectory.SERVICE_PASSWORD,
                        TestDirectory.PEOPLE,
                        TestDirectory.GROUPS)
                .connectTimeout(Duration.ofSeconds(1))
                .responseTimeout(Duration.ofSeconds(1))
                .build();
        try (LdapDirectory directory = new LdapDirectory(settings)) {
            assertUnavailable(() -> directory.findUser("alice"));

            try (TestDirectory late = TestDirectory.startOn(port)) {
                assertThat(late.port()).isEqualTo(port);
                await().atMost(Duration.ofSeconds(10))
                        .ignoreException(DirectoryUnavailableException.class)
                        .untilAsserted(
                                () -> assertThat(directory.findUser("alice")).isPresent());
            }
        }
    }

    @Test
    void aDirectoryThatDoesNotAnswerTimesOutAsUnavailable() throws IOException {
        // Accepts TCP connections (the kernel completes them from the backlog) and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DirectorySettings settings = DirectorySettings.builder(
                            "ldap://127.0.0.1:" + silent.getLocalPort(),
                            TestDirectory.SERVICE_DN,
                            TestDirectory.SERVICE_PASSWORD,
                            TestDirectory.PEOPLE,
                            TestDirectory.GROUPS)
                    .connectTimeout(Duration.ofMillis(500))
                    .responseTimeout(Duration.ofMillis(300))
                    .build();
            long started = System.nanoTime();
            try (LdapDirectory directory = new LdapDirectory(settings)) {
                assertUnavailable(() -> directory.findUser("alice"));
                assertUnavailable(() -> directory.authenticate("alice", ALICE_PASSWORD.toCharArray()));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRejectedServiceAccountIsARefusalWithoutItsPassword() {
        try (TestDirectory server = TestDirectory.start();
                LdapDirectory directory = new LdapDirectory(DirectorySettings.builder(
                                server.url(),
                                TestDirectory.SERVICE_DN,
                                TestDirectory.BOB_PASSWORD,
                                TestDirectory.PEOPLE,
                                TestDirectory.GROUPS)
                        .build())) {
            assertThatThrownBy(() -> directory.findUser("alice"))
                    .isInstanceOfSatisfying(DirectoryRequestException.class, e -> {
                        assertThat(e.resultCode()).isEqualTo("invalid credentials");
                        assertThat(e.isTransient()).isFalse();
                        Secrets.assertNoSecretIn(e);
                    });
            assertThatThrownBy(() -> directory.authenticate("alice", ALICE_PASSWORD.toCharArray()))
                    .isInstanceOfSatisfying(DirectoryRequestException.class, Secrets::assertNoSecretIn);
        }
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DirectoryUnavailableException.class, e -> {
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1");
            Secrets.assertNoSecretIn(e);
        });
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
