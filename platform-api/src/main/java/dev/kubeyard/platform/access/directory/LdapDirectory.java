package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.SocketFactory;

/**
 * The company directory over LDAP: finds users, checks their passwords, and lists their groups, nested ones included.
 *
 * <p>Searches run on a pool of connections bound as the service account ({@link DirectorySettings#bindDn()}). A
 * password check binds as the user on a connection of its own, which is closed afterwards: the pooled connections
 * never take a user's identity, and a failed login cannot leave them unauthenticated. Nothing is cached; every call
 * asks the directory, so a membership change is seen on the next call.
 *
 * <p>Failures: a user that does not exist is an empty {@link Optional}; a directory that cannot be reached or does
 * not answer in time is a {@link DirectoryUnavailableException}; a directory that refuses (service account rejected,
 * base DN missing) is a {@link DirectoryRequestException}. Neither exception means "no rights". No password appears
 * in a log line or an exception message.
 *
 * <p>Thread-safe. Construction does not fail while the directory is down: the pool connects again on demand, so the
 * application starts and {@link #check()} tells a readiness probe when the directory is back.
 */
public final class LdapDirectory implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LdapDirectory.class.getName());

    /** Group DNs per search when following nested groups: one search per level, split so a filter stays small. */
    static final int MEMBERS_PER_GROUP_SEARCH = 50;

    private final DirectorySettings settings;
    private final LdapAddress address;
    private final FilterTemplate userFilter;
    private final FilterTemplate groupFilter;
    private final SingleServerSet servers;
    private final LDAPConnectionPool pool;
    private final String[] userAttributes;

    public LdapDirectory(DirectorySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.address = settings.address();
        this.userFilter = settings.userFilterTemplate();
        this.groupFilter = settings.groupFilterTemplate();
        this.userAttributes = new String[] {settings.usernameAttribute(), "displayName", "cn", "mail"};

        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.connectTimeout().toMillis());
        options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        // A request that ran past its timeout is abandoned, so the server stops working on it.
        options.setAbandonOnTimeout(true);
        // Referrals would send the service account's password to whatever server the referral names.
        options.setFollowReferrals(false);
        options.setUseKeepAlive(true);
        // Refuse a simple bind with a DN and no password on the client side too (RFC 4513 5.1.2).
        options.setBindWithDNRequiresPassword(true);
        SocketFactory sockets = SocketFactory.getDefault();
        if (address.secure()) {
            // The JVM's trust store, and the certificate must name the host we asked for.
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            try {
                sockets = new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS for " + address, e);
            }
        }
        this.servers = new SingleServerSet(address.host(), address.port(), sockets, options);

        LOG.log(
                Level.INFO,
                "Connecting to the directory at {0} as {1}, pool of {2}",
                address,
                settings.bindDn(),
                settings.poolSize());
        try {
            // One connection now, the rest on demand; throwOnConnectFailure=false lets the application start while
            // the directory is down (the pool creates the missing connections when they are asked for).
            this.pool = new LDAPConnectionPool(
                    servers,
                    new SimpleBindRequest(settings.bindDn(), settings.bindPassword()),
                    1,
                    settings.poolSize(),
                    1,
                    null,
                    false);
        } catch (LDAPException e) {
            throw LdapFailures.translate("open connection pool", address, e);
        }
        pool.setConnectionPoolName("kubeyard-directory");
        // A bounded pool: a caller waits for a free connection at most the response timeout, then gets "unavailable".
        pool.setCreateIfNecessary(false);
        pool.setMaxWaitTimeMillis(settings.responseTimeout().toMillis());
        // A pooled connection broken by a server restart is replaced and the search tried once more on a new one.
        pool.setRetryFailedOperationsDueToInvalidConnections(EnumSet.of(OperationType.SEARCH));
    }

    /** The settings this directory was made from (the password stays out of their {@code toString}). */
    public DirectorySettings settings() {
        return settings;
    }

    /**
     * The user with this username, found with {@link DirectorySettings#userFilter()} under {@link
     * DirectorySettings#userBaseDn()}. Empty when no entry matches, when the username is blank, and when more than
     * one entry matches (an ambiguous username identifies nobody; a warning names it).
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or does not answer in time
     * @throws DirectoryRequestException when the directory refuses the search
     */
    public Optional<DirectoryUser> findUser(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        SearchRequest request = search(settings.userBaseDn(), userFilter.apply(username), userAttributes);
        // Two are enough to tell "one" from "ambiguous".
        request.setSizeLimit(2);
        List<SearchResultEntry> entries;
        try {
            entries = pool.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode().intValue() == ResultCode.SIZE_LIMIT_EXCEEDED_INT_VALUE) {
                entries = e.getSearchEntries();
            } else {
                throw LdapFailures.translate("search user", address, e);
            }
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (entries.size() > 1) {
            LOG.log(
                    Level.WARNING,
                    "Username {0} matches more than one entry under {1} ({2}, {3}): treated as not found",
                    username,
                    settings.userBaseDn(),
                    entries.get(0).getDN(),
                    entries.get(1).getDN());
            return Optional.empty();
        }
        return Optional.of(toUser(entries.get(0), username));
    }

    /**
     * The user, when the directory accepts this password for them: a simple bind as the user's DN on a connection of
     * its own. Empty for an unknown user, a wrong password, and a locked or expired account alike (the caller cannot
     * tell them apart); empty at once, without asking the directory, for a null or empty password, which LDAP would
     * take as an unauthenticated bind and answer with success (RFC 4513 5.1.2). The caller's array is left as it is;
     * the copy made for the request is wiped afterwards.
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or does not answer in time
     * @throws DirectoryRequestException when the directory refuses the search for the user
     */
    public Optional<DirectoryUser> authenticate(String username, char[] password) {
        if (password == null || password.length == 0) {
            return Optional.empty();
        }
        Optional<DirectoryUser> user = findUser(username);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = utf8(password);
        try (LDAPConnection connection = servers.getConnection()) {
            connection.bind(new SimpleBindRequest(user.get().dn(), secret));
            return user;
        } catch (LDAPException e) {
            ResultCode code = e.getResultCode();
            if (LdapFailures.isNoAnswer(code)) {
                throw LdapFailures.translate("bind as user", address, e);
            }
            if (code.intValue() != ResultCode.INVALID_CREDENTIALS_INT_VALUE) {
                // Not the plain "wrong password": a locked or expired account, or a policy. Worth a line to whoever
                // looks into "I cannot log in"; the caller learns only "refused".
                LOG.log(
                        Level.INFO,
                        "Login of {0} refused by the directory: {1}",
                        user.get().dn(),
                        code.getName());
            }
            if (!LdapFailures.isCredentialsRefused(code)) {
                throw LdapFailures.translate("bind as user", address, e);
            }
            return Optional.empty();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The names of the groups the user is in, nested groups included when {@link DirectorySettings#nestedGroups()}
     * is on. Sorted; see {@link #membershipsOf(DirectoryUser)} for their DNs.
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or does not answer in time
     * @throws DirectoryRequestException when the directory refuses a search
     */
    public Set<String> groupsOf(DirectoryUser user) {
        Set<String> names = new TreeSet<>();
        for (DirectoryGroup group : membershipsOf(user)) {
            names.add(group.name());
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The groups the user is in, with DN, name and how far from the user: direct groups first (depth 0), then the
     * groups those are members of, level by level up to {@link DirectorySettings#maxNestingDepth()} when nesting is
     * on. A group reached twice, or a cycle of groups, is counted once, at its shortest depth. One search per level.
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or does not answer in time
     * @throws DirectoryRequestException when the directory refuses a search
     */
    public Set<DirectoryGroup> membershipsOf(DirectoryUser user) {
        Map<String, DirectoryGroup> found = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        seen.add(normalized(user.dn()));
        List<String> members = List.of(user.dn());
        int maxDepth = settings.maxNestingDepth();
        for (int depth = 0; ; depth++) {
            List<DirectoryGroup> level = groupsHolding(members, depth, seen);
            if (level.isEmpty()) {
                break;
            }
            if (depth > maxDepth) {
                // This level was only looked at to tell whether the limit cut something off.
                LOG.log(
                        Level.WARNING,
                        "Groups of {0} nest deeper than maxNestingDepth {1}: the next level ({2} of them, such as"
                                + " {3}) and all above it are ignored",
                        user.dn(),
                        maxDepth,
                        level.size(),
                        level.get(0).dn());
                break;
            }
            List<String> next = new ArrayList<>(level.size());
            for (DirectoryGroup group : level) {
                found.put(normalized(group.dn()), group);
                next.add(group.dn());
            }
            if (!settings.nestedGroups()) {
                break;
            }
            members = next;
        }
        List<DirectoryGroup> ordered = new ArrayList<>(found.values());
        ordered.sort(Comparator.comparingInt(DirectoryGroup::depth).thenComparing(DirectoryGroup::name));
        return Collections.unmodifiableSet(new LinkedHashSet<>(ordered));
    }

    /**
     * Reads the two base entries with the service account: a readiness check.
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or does not answer in time
     * @throws DirectoryRequestException when the service account is rejected or a base DN does not exist
     */
    public void check() {
        for (String base : List.of(settings.userBaseDn(), settings.groupBaseDn())) {
            SearchRequest request =
                    new SearchRequest(base, SearchScope.BASE, Filter.createPresenceFilter("objectClass"));
            request.setSizeLimit(1);
            request.setTimeLimitSeconds(timeLimitSeconds());
            try {
                pool.search(request);
            } catch (LDAPSearchException e) {
                throw LdapFailures.translate("read base entry " + base, address, e);
            }
        }
    }

    /** Closes the pooled connections. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * The groups, not seen yet, that hold any of the members, named at the given depth; marks them seen. The members
     * are split into searches of {@link #MEMBERS_PER_GROUP_SEARCH}.
     */
    private List<DirectoryGroup> groupsHolding(List<String> members, int depth, Set<String> seen) {
        List<DirectoryGroup> groups = new ArrayList<>();
        for (int from = 0; from < members.size(); from += MEMBERS_PER_GROUP_SEARCH) {
            List<String> chunk = members.subList(from, Math.min(members.size(), from + MEMBERS_PER_GROUP_SEARCH));
            List<Filter> clauses = new ArrayList<>(chunk.size());
            for (String member : chunk) {
                clauses.add(groupFilter.apply(member));
            }
            Filter filter = clauses.size() == 1 ? clauses.get(0) : Filter.createORFilter(clauses);
            SearchResult result;
            try {
                result = pool.search(search(settings.groupBaseDn(), filter, settings.groupNameAttribute()));
            } catch (LDAPSearchException e) {
                throw LdapFailures.translate("search groups", address, e);
            }
            for (SearchResultEntry entry : result.getSearchEntries()) {
                if (seen.add(normalized(entry.getDN()))) {
                    groups.add(new DirectoryGroup(entry.getDN(), groupName(entry), depth));
                }
            }
        }
        return groups;
    }

    private SearchRequest search(String base, Filter filter, String... attributes) {
        SearchRequest request = new SearchRequest(base, SearchScope.SUB, filter, attributes);
        request.setDerefPolicy(DereferencePolicy.NEVER);
        request.setTimeLimitSeconds(timeLimitSeconds());
        return request;
    }

    /** The server-side time limit: the response timeout, rounded up to whole seconds. */
    private int timeLimitSeconds() {
        long millis = settings.responseTimeout().toMillis();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
    }

    private DirectoryUser toUser(SearchResultEntry entry, String askedFor) {
        String username = firstNonBlank(entry.getAttributeValue(settings.usernameAttribute()), askedFor);
        String displayName =
                firstNonBlank(entry.getAttributeValue("displayName"), entry.getAttributeValue("cn"), username);
        Optional<String> mail =
                Optional.ofNullable(entry.getAttributeValue("mail")).filter(m -> !m.isBlank());
        return new DirectoryUser(entry.getDN(), username, displayName, mail);
    }

    private String groupName(SearchResultEntry entry) {
        String name = entry.getAttributeValue(settings.groupNameAttribute());
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            RDN rdn = new DN(entry.getDN()).getRDN();
            return rdn == null ? entry.getDN() : rdn.getAttributeValues()[0];
        } catch (LDAPException e) {
            return entry.getDN();
        }
    }

    /** A DN's normalized form (case and spacing of names and values), to recognise a group reached twice. */
    private static String normalized(String dn) {
        try {
            return DN.normalize(dn);
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new IllegalStateException("no value");
    }

    /** The password's UTF-8 bytes, made without a String that would outlive the call. */
    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
