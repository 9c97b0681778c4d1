package dev.kubeyard.platform.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFException;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.Map;

/**
 * The company directory of the tests: a real LDAP server in memory (UnboundID), with people under {@value #PEOPLE} and
 * groups under {@value #GROUPS}, searched by a service account as in a company. Tests change memberships through
 * {@link #addMember} and {@link #removeMember} and watch the platform follow. Use it next to the other two global
 * resources.
 */
public class DirectoryResource implements QuarkusTestResourceLifecycleManager {

    public static final String BASE = "dc=corp,dc=test";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String GROUPS = "ou=groups," + BASE;
    static final String SERVICE_DN = "cn=kubeyard,ou=services," + BASE;
    /** A secret of the tests: LogScanIT makes sure it never reaches a log line. */
    public static final String SERVICE_PASSWORD = "ldap-service-Pa55-tests";

    private static volatile InMemoryDirectoryServer server;

    @Override
    public Map<String, String> start() {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            // A fixed port, so that the server comes back where the application looks for it after an outage.
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig(
                    "ldap", InetAddress.getLoopbackAddress(), freePort(), null));
            config.addAdditionalBindCredentials(SERVICE_DN, SERVICE_PASSWORD);
            config.setSchema(null);
            server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: domain", "dc: corp");
            server.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
            server.add("dn: " + GROUPS, "objectClass: organizationalUnit", "ou: groups");
            server.startListening();
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException("cannot start the in-memory directory", e);
        }
        return Map.of(
                "kubeyard.platform.access.ldap.url", "ldap://127.0.0.1:" + server.getListenPort(),
                "kubeyard.platform.access.ldap.bind-dn", SERVICE_DN,
                "kubeyard.platform.access.ldap.bind-password", SERVICE_PASSWORD,
                "kubeyard.platform.access.ldap.user-base-dn", PEOPLE,
                "kubeyard.platform.access.ldap.group-base-dn", GROUPS);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutDown(true);
        }
    }

    /** A person who can log in with the password. */
    public static void addPerson(String uid, String password) {
        add(
                "dn: uid=" + uid + "," + PEOPLE,
                "objectClass: inetOrgPerson",
                "uid: " + uid,
                "cn: " + uid + " Tester",
                "sn: Tester",
                "mail: " + uid + "@corp.test",
                "userPassword: " + password);
    }

    /** The person leaves the company. */
    public static void removePerson(String uid) {
        try {
            server.delete("uid=" + uid + "," + PEOPLE);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A group with no members yet. */
    public static void addGroup(String cn) {
        add("dn: cn=" + cn + "," + GROUPS, "objectClass: groupOfNames", "cn: " + cn);
    }

    public static void addMember(String group, String uid) {
        modify(group, ModificationType.ADD, "uid=" + uid + "," + PEOPLE);
    }

    public static void removeMember(String group, String uid) {
        modify(group, ModificationType.DELETE, "uid=" + uid + "," + PEOPLE);
    }

    /** Puts group {@code inner} into group {@code outer}: inner's members belong to outer too. */
    public static void nest(String inner, String outer) {
        modify(outer, ModificationType.ADD, "cn=" + inner + "," + GROUPS);
    }

    /** Stops answering (an outage) until {@link #recover()}. */
    public static void outage() {
        server.shutDown(false);
    }

    public static void recover() {
        try {
            server.startListening();
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(String... ldif) {
        try {
            server.add(ldif);
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void modify(String group, ModificationType type, String memberDn) {
        try {
            server.modify("cn=" + group + "," + GROUPS, new Modification(type, "member", memberDn));
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }
}
