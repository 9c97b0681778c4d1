package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A real LDAP server in the test JVM (UnboundID's in-memory directory) on a loopback port, holding a small company:
 * people, groups of names and of unique names, nested groups, a cycle, and a user whose uid is made of LDAP filter
 * metacharacters. Searches require a bind, as in a company directory, so a test sees whether the service account's
 * connections are bound.
 */
final class TestDirectory implements AutoCloseable {

    static final String BASE = "dc=example,dc=com";
    static final String PEOPLE = "ou=people," + BASE;
    static final String GROUPS = "ou=groups," + BASE;
    static final String SERVICE_DN = "cn=kubeyard,ou=services," + BASE;

    static final String SERVICE_PASSWORD = "svc-Pa55-never-printed";
    static final String ALICE_PASSWORD = "alice-Pa55-never-printed";
    static final String BOB_PASSWORD = "bob-Pa55-never-printed";
    static final String ODD_PASSWORD = "odd-Pa55-never-printed";

    /** A uid made of filter metacharacters; it is a valid RDN value (RFC 4514 does not escape them). */
    static final String ODD_UID = "odd*)(name";

    /** Every secret the fixture knows, for the tests that no log line or message carries one. */
    static final List<String> SECRETS = List.of(SERVICE_PASSWORD, ALICE_PASSWORD, BOB_PASSWORD, ODD_PASSWORD);

    private final InMemoryDirectoryServer server;

    private TestDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Started on an ephemeral loopback port. */
    static TestDirectory start() {
        return startOn(0);
    }

    /** Started on the given loopback port (0: ephemeral), with the company's entries. */
    static TestDirectory startOn(int port) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.setListenerConfigs(
                    InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), port, null));
            config.addAdditionalBindCredentials(SERVICE_DN, SERVICE_PASSWORD);
            config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH, OperationType.COMPARE);
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.importFromLDIF(true, new LDIFReader(new BufferedReader(new StringReader(COMPANY))));
            server.startListening();
            return new TestDirectory(server);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot start the in-memory directory", e);
        }
    }

    int port() {
        return server.getListenPort();
    }

    String url() {
        return "ldap://127.0.0.1:" + port();
    }

    /** Settings for this server with short timeouts; everything else at its default. */
    DirectorySettings.Builder settings() {
        return DirectorySettings.builder(url(), SERVICE_DN, SERVICE_PASSWORD, PEOPLE, GROUPS)
                .connectTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(2));
    }

    /** Adds entries written as LDIF lines. */
    void add(String... ldifLines) {
        try {
            server.add(ldifLines);
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies an LDIF change record, for example {@code dn: ...}, {@code changetype: modify}, ... */
    void modify(String... ldifLines) {
        try {
            server.modify(ldifLines);
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException(e);
        }
    }

    void delete(String dn) {
        try {
            server.delete(dn);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops listening and closes every client connection, as a directory that goes down does. */
    void stop() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        stop();
    }

    static String person(String uid) {
        return "uid=" + uid + "," + PEOPLE;
    }

    static String group(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    private static final String COMPANY = """
            dn: dc=example,dc=com
            objectClass: top
            objectClass: domain
            dc: example

            dn: ou=people,dc=example,dc=com
            objectClass: organizationalUnit
            ou: people

            dn: ou=groups,dc=example,dc=com
            objectClass: organizationalUnit
            ou: groups

            dn: uid=alice,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: alice
            cn: Alice Liddell
            sn: Liddell
            displayName: Alice L.
            mail: alice@example.com
            userPassword: %s

            dn: uid=bob,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: bob
            cn: Bob Builder
            sn: Builder
            userPassword: %s

            dn: uid=carol,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: carol
            cn: Carol Danvers
            sn: Danvers

            dn: uid=dave,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: dave
            cn: Dave Lister
            sn: Lister

            dn: uid=erin,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: erin
            cn: Erin Brockovich
            sn: Brockovich

            dn: uid=odd*)(name,ou=people,dc=example,dc=com
            objectClass: inetOrgPerson
            uid: odd*)(name
            cn: Odd Name
            sn: Name
            userPassword: %s

            dn: cn=payments,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: payments
            member: uid=alice,ou=people,dc=example,dc=com
            member: uid=odd*)(name,ou=people,dc=example,dc=com

            dn: cn=platform-admins,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: platform-admins
            member: cn=payments,ou=groups,dc=example,dc=com

            dn: cn=everyone,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: everyone
            member: cn=platform-admins,ou=groups,dc=example,dc=com

            dn: cn=cycle-a,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: cycle-a
            member: uid=bob,ou=people,dc=example,dc=com
            member: cn=cycle-b,ou=groups,dc=example,dc=com

            dn: cn=cycle-b,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: cycle-b
            member: cn=cycle-a,ou=groups,dc=example,dc=com

            dn: cn=auditors,ou=groups,dc=example,dc=com
            objectClass: groupOfUniqueNames
            cn: auditors
            uniqueMember: uid=carol,ou=people,dc=example,dc=com

            dn: cn=compliance,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: compliance
            member: cn=auditors,ou=groups,dc=example,dc=com

            dn: cn=level-0,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: level-0
            member: uid=erin,ou=people,dc=example,dc=com

            dn: cn=level-1,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: level-1
            member: cn=level-0,ou=groups,dc=example,dc=com

            dn: cn=level-2,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: level-2
            member: cn=level-1,ou=groups,dc=example,dc=com

            dn: cn=level-3,ou=groups,dc=example,dc=com
            objectClass: groupOfNames
            cn: level-3
            member: cn=level-2,ou=groups,dc=example,dc=com
            """.formatted(ALICE_PASSWORD, BOB_PASSWORD, ODD_PASSWORD);
}
