package dev.kubeyard.platform.access.directory;

import static dev.kubeyard.platform.access.directory.TestDirectory.ALICE_PASSWORD;
import static dev.kubeyard.platform.access.directory.TestDirectory.BOB_PASSWORD;
import static dev.kubeyard.platform.access.directory.TestDirectory.ODD_PASSWORD;
import static dev.kubeyard.platform.access.directory.TestDirectory.ODD_UID;
import static dev.kubeyard.platform.access.directory.TestDirectory.group;
import static dev.kubeyard.platform.access.directory.TestDirectory.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The directory client against a real LDAP server (UnboundID's in-memory directory on a loopback port, one per
 * class): users, passwords, direct and nested groups, filter injection, and no stale answers.
 */
class LdapDirectoryIT {

    private static TestDirectory server;
    private static LdapDirectory directory;

    @BeforeAll
    static void start() {
        server = TestDirectory.start();
        directory = new LdapDirectory(server.settings().build());
    }

    @AfterAll
    static void stop() {
        directory.close();
        server.stop();
    }

    private static DirectoryUser user(String username) {
        return directory.findUser(username).orElseThrow();
    }

    @Test
    void findsAUserWithDnDisplayNameAndMail() {
        assertThat(directory.findUser("alice"))
                .contains(new DirectoryUser(person("alice"), "alice", "Alice L.", Optional.of("alice@example.com")));
    }

    @Test
    void aUserWithoutDisplayNameOrMailIsNamedByCn() {
        assertThat(directory.findUser("bob"))
                .contains(new DirectoryUser(person("bob"), "bob", "Bob Builder", Optional.empty()));
    }

    @Test
    void theUsernameIsTheDirectorysSpellingOfIt() {
        assertThat(user("ALICE").username()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "alic", " ", ""})
    void aUsernameNoEntryHasIsNotFound(String username) {
        assertThat(directory.findUser(username)).isEmpty();
    }

    @Test
    void aUsernameTwoEntriesShareIdentifiesNobodyAndSaysSo() {
        String contractors = "ou=contractors," + TestDirectory.PEOPLE;
        server.add("dn: " + contractors, "objectClass: organizationalUnit", "ou: contractors");
        for (String dn : List.of(person("twin"), "uid=twin," + contractors)) {
            server.add(
                    "dn: " + dn,
                    "objectClass: inetOrgPerson",
                    "uid: twin",
                    "cn: Twin",
                    "sn: Twin",
                    "userPassword: " + BOB_PASSWORD);
        }
        try (CapturedLog log = CapturedLog.ofDirectory()) {
            assertThat(directory.findUser("twin")).isEmpty();
            assertThat(directory.authenticate("twin", BOB_PASSWORD.toCharArray()))
                    .isEmpty();

            assertThat(log.lines(Level.WARNING)).hasSize(2).allSatisfy(line -> assertThat(line)
                    .contains("twin matches more than one entry"));
        } finally {
            server.delete(person("twin"));
            server.delete("uid=twin," + contractors);
            server.delete(contractors);
        }
    }

    @Test
    void callsBeyondThePoolSizeWaitForAFreeConnection() throws Exception {
        try (LdapDirectory small =
                        new LdapDirectory(server.settings().poolSize(2).build());
                ExecutorService callers = Executors.newFixedThreadPool(8)) {
            List<Future<Set<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                answers.add(callers.submit(
                        () -> small.groupsOf(small.findUser("alice").orElseThrow())));
            }
            for (Future<Set<String>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).contains("payments", "everyone");
            }
        }
    }

    @Test
    void authenticatesWithTheRightPassword() {
        assertThat(directory.authenticate("alice", ALICE_PASSWORD.toCharArray()))
                .map(DirectoryUser::dn)
                .contains(person("alice"));
    }

    @Test
    void refusesAWrongPassword() {
        assertThat(directory.authenticate("alice", BOB_PASSWORD.toCharArray())).isEmpty();
    }

    @Test
    void refusesAnUnknownUserAsItRefusesAWrongPassword() {
        assertThat(directory.authenticate("nobody", ALICE_PASSWORD.toCharArray()))
                .isEmpty();
    }

    @Test
    void refusesAUserWithoutAPasswordInTheDirectory() {
        assertThat(directory.authenticate("carol", "anything".toCharArray())).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesAnEmptyPasswordWhichLdapWouldTakeAsAnUnauthenticatedBind(char[] password) {
        assertThat(directory.authenticate("alice", password)).isEmpty();
    }

    @Test
    void leavesTheCallersPasswordArrayAsItIs() {
        char[] password = ALICE_PASSWORD.toCharArray();

        directory.authenticate("alice", password);

        assertThat(new String(password)).isEqualTo(ALICE_PASSWORD);
    }

    @Test
    void aFailedLoginDoesNotLeaveTheServiceConnectionUnbound() {
        // One pooled connection: were the user's bind done on it, the failed bind would leave it anonymous and the
        // next search (which the server allows bound connections only) would fail.
        try (LdapDirectory single =
                new LdapDirectory(server.settings().poolSize(1).build())) {
            assertThat(single.authenticate("alice", "wrong".toCharArray())).isEmpty();
            assertThat(single.authenticate("bob", BOB_PASSWORD.toCharArray())).isPresent();

            assertThat(single.findUser("alice")).isPresent();
            assertThat(single.groupsOf(user("alice"))).contains("payments");
        }
    }

    @Test
    void listsOnlyTheDirectGroupsWhenNestingIsOff() {
        try (LdapDirectory flat =
                new LdapDirectory(server.settings().nestedGroups(false).build())) {
            assertThat(flat.groupsOf(user("alice"))).containsExactly("payments");
            assertThat(flat.membershipsOf(user("alice")))
                    .containsExactly(new DirectoryGroup(group("payments"), "payments", 0));
        }
    }

    @Test
    void includesTheGroupsOfGroupsWithTheirDepth() {
        DirectoryUser alice = user("alice");

        assertThat(directory.groupsOf(alice)).containsExactly("everyone", "payments", "platform-admins");
        assertThat(directory.membershipsOf(alice))
                .containsExactly(
                        new DirectoryGroup(group("payments"), "payments", 0),
                        new DirectoryGroup(group("platform-admins"), "platform-admins", 1),
                        new DirectoryGroup(group("everyone"), "everyone", 2));
    }

    @Test
    void aCycleOfGroupsCountsEachGroupOnceAndEnds() {
        DirectoryUser bob = user("bob");

        var memberships = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> directory.membershipsOf(bob));

        assertThat(memberships)
                .containsExactly(
                        new DirectoryGroup(group("cycle-a"), "cycle-a", 0),
                        new DirectoryGroup(group("cycle-b"), "cycle-b", 1));
    }

    @Test
    void findsGroupsThatNameTheUserAsUniqueMember() {
        assertThat(directory.membershipsOf(user("carol")))
                .containsExactly(
                        new DirectoryGroup(group("auditors"), "auditors", 0),
                        new DirectoryGroup(group("compliance"), "compliance", 1));
    }

    @Test
    void stopsAtTheNestingDepthLimitAndSaysWhatItLeftOut() {
        try (CapturedLog log = CapturedLog.ofDirectory();
                LdapDirectory shallow =
                        new LdapDirectory(server.settings().maxNestingDepth(1).build())) {
            assertThat(shallow.groupsOf(user("erin"))).containsExactly("level-0", "level-1");

            assertThat(log.lines(Level.WARNING))
                    .singleElement()
                    .asString()
                    .contains(person("erin"), "maxNestingDepth 1", group("level-2"));
        }
    }

    @Test
    void aUserWithNoGroupsHasNone() {
        assertThat(directory.groupsOf(user("dave"))).isEmpty();
    }

    /**
     * Usernames that, put into a filter unescaped, would match every user, any user starting with "al", or alice
     * herself ({@code (&(objectClass=inetOrgPerson)(uid=alice)(objectClass=*))}). None may find anyone, nor log in
     * with alice's password.
     */
    @ParameterizedTest
    @ValueSource(strings = {"*)(uid=*", "*", "al*", "alice)(objectClass=*", "alice)(|(uid=*", "*)(|(uid=*"})
    void aUsernameWithFilterMetacharactersMatchesNoOtherUser(String username) {
        try (LdapDirectory anded = new LdapDirectory(server.settings()
                .userFilter("(&(objectClass=inetOrgPerson)(uid={0}))")
                .build())) {
            for (LdapDirectory d : new LdapDirectory[] {directory, anded}) {
                assertThat(d.findUser(username))
                        .as("%s with %s", username, d.settings().userFilter())
                        .isEmpty();
                assertThat(d.authenticate(username, ALICE_PASSWORD.toCharArray()))
                        .as("login as %s with %s", username, d.settings().userFilter())
                        .isEmpty();
            }
        }
    }

    @Test
    void aUsernameMadeOfFilterMetacharactersFindsExactlyItsOwnEntryAndGroups() {
        DirectoryUser odd = user(ODD_UID);

        assertThat(odd.dn()).isEqualTo(person(ODD_UID));
        assertThat(directory.authenticate(ODD_UID, ODD_PASSWORD.toCharArray())).contains(odd);
        assertThat(directory.groupsOf(odd)).containsExactly("everyone", "payments", "platform-admins");
    }

    @Test
    void aMembershipAddedOrRemovedInTheDirectoryIsSeenOnTheNextCall() {
        DirectoryUser dave = user("dave");
        server.add("dn: " + group("on-call"), "objectClass: groupOfNames", "cn: on-call", "member: " + person("alice"));
        try {
            assertThat(directory.groupsOf(dave)).isEmpty();

            server.modify("dn: " + group("on-call"), "changetype: modify", "add: member", "member: " + dave.dn());
            assertThat(directory.groupsOf(dave)).containsExactly("on-call");

            server.modify("dn: " + group("on-call"), "changetype: modify", "delete: member", "member: " + dave.dn());
            assertThat(directory.groupsOf(dave)).isEmpty();
        } finally {
            server.delete(group("on-call"));
        }
    }

    @Test
    void aPasswordChangedInTheDirectoryCountsOnTheNextLogin() {
        server.add(
                "dn: " + person("frank"),
                "objectClass: inetOrgPerson",
                "uid: frank",
                "cn: Frank Poole",
                "sn: Poole",
                "userPassword: first-Pa55");
        try {
            assertThat(directory.authenticate("frank", "first-Pa55".toCharArray()))
                    .isPresent();

            server.modify(
                    "dn: " + person("frank"), "changetype: modify", "replace: userPassword", "userPassword: second");

            assertThat(directory.authenticate("frank", "first-Pa55".toCharArray()))
                    .isEmpty();
            assertThat(directory.authenticate("frank", "second".toCharArray())).isPresent();
        } finally {
            server.delete(person("frank"));
        }
    }

    @Test
    void theReadinessCheckPassesWhenBothBasesExist() {
        directory.check();
    }

    @Test
    void theReadinessCheckFailsAsARefusalWhenABaseDnDoesNotExist() {
        try (LdapDirectory misconfigured = new LdapDirectory(DirectorySettings.builder(
                        server.url(),
                        TestDirectory.SERVICE_DN,
                        TestDirectory.SERVICE_PASSWORD,
                        TestDirectory.PEOPLE,
                        "ou=teams,dc=example,dc=com")
                .build())) {
            assertThatThrownBy(misconfigured::check)
                    .isInstanceOfSatisfying(DirectoryRequestException.class, e -> assertThat(e.resultCode())
                            .isEqualTo("no such object"))
                    .hasMessageContaining("ou=teams,dc=example,dc=com");
        }
    }
}
