package dev.kubeyard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.Identities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test of the module (its own failsafe execution, see pom.xml) and reads every log the run
 * wrote: the application's log file of the test profile and the logs of the packaged application that
 * RestartMidOperationIT starts. No line may carry a secret: one of our API tokens, the Rancher token of the tests, an
 * alert receiver's token or webhook URL, a Rancher token of any shape, a kubeconfig credential, a private key.
 */
class LogScanIT {

    static final Path LOGS = Path.of("target", "app-logs");

    /** What a secret looks like, and why it is one. */
    record Secret(String what, Pattern pattern) {}

    static final List<Secret> SECRETS = List.of(
            new Secret("a Kubeyard API token", Pattern.compile("kyd_[0-9A-Za-z]{32,64}")),
            new Secret("the tests' Rancher token", Pattern.compile(Pattern.quote("kubeyard-test-secret"))),
            new Secret("the tests' LDAP password", Pattern.compile(Pattern.quote(DirectoryResource.SERVICE_PASSWORD))),
            new Secret("a tester's LDAP password", Pattern.compile("[a-z]+-Pa55")),
            new Secret("a Rancher token", Pattern.compile("token-[a-z0-9]{5}:[a-z0-9]{20,}")),
            new Secret("an ext Rancher token", Pattern.compile("ext/token-[a-z0-9]+:[A-Za-z0-9]{20,}")),
            new Secret("a kubeconfig credential", Pattern.compile("(?i)(token|client-key-data|password):\\s*\\S{16,}")),
            new Secret("a private key", Pattern.compile("BEGIN [A-Z ]*PRIVATE KEY")),
            new Secret("a bearer header", Pattern.compile("(?i)authorization:\\s*bearer\\s+\\S{16,}")),
            new Secret("the tests' Alertmanager token", Pattern.compile(Pattern.quote("am-test-bearer-7d1c5e9a3f"))),
            new Secret("the tests' Slack webhook path", Pattern.compile(Pattern.quote("slack-hook-secret-5b8e"))),
            new Secret("a Slack incoming-webhook URL", Pattern.compile("hooks\\.slack\\.com/services/\\S+")));

    @Test
    void noLogLineOfTheWholeRunCarriesASecret() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(LOGS)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the run's logs under %s", LOGS.toAbsolutePath()).isNotEmpty();
        long lines = 0;
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            List<String> content = Files.readAllLines(file);
            lines += content.size();
            for (int i = 0; i < content.size(); i++) {
                for (Secret secret : SECRETS) {
                    Matcher m = secret.pattern().matcher(content.get(i));
                    if (m.find()) {
                        found.add(file.getFileName() + ":" + (i + 1) + " carries " + secret.what() + " ("
                                + m.group().substring(0, Math.min(8, m.group().length())) + "...)");
                    }
                }
            }
        }
        assertThat(lines).as("a run of the suite logs hundreds of lines").isGreaterThan(200);
        assertThat(String.join("\n", readAll(files)))
                .as("the logs name the bootstrap token by its hint, which proves they were written by this run")
                .contains(Identities.ADMIN_TOKEN.substring(0, 8) + "...");
        assertThat(found).as("log lines with secrets").isEmpty();
    }

    @Test
    void theScanWouldSeeEachKindOfSecret() {
        List<String> samples = List.of(
                Identities.ADMIN_TOKEN,
                "Bearer token-tests:kubeyard-test-secret",
                "token-abcde:bcdfghjklmnpqrstvwxz2456789bcdfghjkl",
                "ext/token-x7k2p:SomeLongSecretValue1234567890",
                "    token: abcdefghijklmnopqrstuvwxyz",
                "-----BEGIN RSA PRIVATE KEY-----",
                "bind with ldap-service-Pa55-tests",
                "Authorization: Bearer abcdefghijklmnopqrstuvwxyz");
        for (String sample : samples) {
            assertThat(SECRETS.stream()
                            .anyMatch(s -> s.pattern().matcher(sample).find()))
                    .as(sample)
                    .isTrue();
        }
        assertThat(SECRETS.stream().anyMatch(s -> s.pattern()
                        .matcher("token kyd_Test... accepted")
                        .find()))
                .as("a hint is not a secret")
                .isFalse();
    }

    private static List<String> readAll(List<Path> files) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(Files.readAllLines(f));
        }
        return all;
    }
}
