package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.sdk.DN;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the company directory and where users and groups live in it. Built with {@link #builder(String,
 * String, String, String, String)}; every other field has a default that suits OpenLDAP and 389 Directory Server
 * (see README.md next to this class). Invalid values fail here, when the application starts, with the setting's name.
 *
 * @param url {@code ldap://host[:port]} or {@code ldaps://host[:port]} (389 and 636 by default); scheme, host and port
 *     only
 * @param bindDn the service account the pooled connections bind as, to search users and groups
 * @param bindPassword the service account's password; never printed, never logged
 * @param userBaseDn where users are searched (subtree)
 * @param userFilter finds one user by username; {@code {0}} is the username, escaped by RFC 4515. Default {@code
 *     (uid={0})}
 * @param usernameAttribute the attribute whose value becomes {@link DirectoryUser#username()} (the directory's own
 *     spelling of it); default {@code uid}
 * @param groupBaseDn where groups are searched (subtree)
 * @param groupFilter finds the groups that hold one member; {@code {0}} is the member's DN, escaped by RFC 4515.
 *     Default {@code (|(member={0})(uniqueMember={0}))}
 * @param groupNameAttribute the attribute whose value is a group's name; default {@code cn}
 * @param nestedGroups whether membership is transitive: a member of a group that is itself a member of another group
 *     belongs to both. Default true
 * @param maxNestingDepth how many levels of groups in groups are followed above the direct groups (cycles are cut
 *     anyway); default 10
 * @param connectTimeout TCP and TLS connect timeout of one connection; default 5 s
 * @param responseTimeout longest wait for one answer, also the longest wait for a free pooled connection; default 10
 *     s
 * @param poolSize most pooled connections bound as the service account; default 4
 */
public record DirectorySettings(
        String url,
        String bindDn,
        String bindPassword,
        String userBaseDn,
        String userFilter,
        String usernameAttribute,
        String groupBaseDn,
        String groupFilter,
        String groupNameAttribute,
        boolean nestedGroups,
        int maxNestingDepth,
        Duration connectTimeout,
        Duration responseTimeout,
        int poolSize) {

    public static final String DEFAULT_USER_FILTER = "(uid={0})";
    public static final String DEFAULT_USERNAME_ATTRIBUTE = "uid";
    public static final String DEFAULT_GROUP_FILTER = "(|(member={0})(uniqueMember={0}))";
    public static final String DEFAULT_GROUP_NAME_ATTRIBUTE = "cn";
    public static final int DEFAULT_MAX_NESTING_DEPTH = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_POOL_SIZE = 4;

    public DirectorySettings {
        url = url == null ? null : url.strip();
        LdapAddress.parse(url);
        bindDn = requireDn(bindDn, "bindDn");
        // A simple bind with a DN and an empty password is an "unauthenticated bind" (RFC 4513 5.1.2): many servers
        // answer it with success and the pool would search anonymously without anyone noticing.
        if (bindPassword == null || bindPassword.isEmpty()) {
            throw new IllegalArgumentException("bindPassword is required: an empty password is an unauthenticated"
                    + " bind (RFC 4513 5.1.2), not a login as bindDn");
        }
        userBaseDn = requireDn(userBaseDn, "userBaseDn");
        groupBaseDn = requireDn(groupBaseDn, "groupBaseDn");
        userFilter = FilterTemplate.parse("userFilter", userFilter).template();
        groupFilter = FilterTemplate.parse("groupFilter", groupFilter).template();
        usernameAttribute = requireAttribute(usernameAttribute, "usernameAttribute");
        groupNameAttribute = requireAttribute(groupNameAttribute, "groupNameAttribute");
        if (maxNestingDepth < 0) {
            throw new IllegalArgumentException("maxNestingDepth must not be negative, got " + maxNestingDepth);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be at most " + Integer.MAX_VALUE + " ms");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
    }

    /** The settings with every default; the five arguments have none. */
    public static Builder builder(
            String url, String bindDn, String bindPassword, String userBaseDn, String groupBaseDn) {
        return new Builder(url, bindDn, bindPassword, userBaseDn, groupBaseDn);
    }

    /** Host, port and whether it is TLS from the first byte (ldaps). */
    LdapAddress address() {
        return LdapAddress.parse(url);
    }

    FilterTemplate userFilterTemplate() {
        return FilterTemplate.parse("userFilter", userFilter);
    }

    FilterTemplate groupFilterTemplate() {
        return FilterTemplate.parse("groupFilter", groupFilter);
    }

    /** Every field but the bind password, which shows as {@code ***}. */
    @Override
    public String toString() {
        return "DirectorySettings[url=" + url + ", bindDn=" + bindDn + ", bindPassword=***, userBaseDn=" + userBaseDn
                + ", userFilter=" + userFilter + ", usernameAttribute=" + usernameAttribute + ", groupBaseDn="
                + groupBaseDn + ", groupFilter=" + groupFilter + ", groupNameAttribute=" + groupNameAttribute
                + ", nestedGroups=" + nestedGroups + ", maxNestingDepth=" + maxNestingDepth + ", connectTimeout="
                + connectTimeout + ", responseTimeout=" + responseTimeout + ", poolSize=" + poolSize + "]";
    }

    private static String requireDn(String dn, String name) {
        if (dn == null || dn.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        String stripped = dn.strip();
        if (!DN.isValidDN(stripped)) {
            throw new IllegalArgumentException(name + " is not a valid DN: '" + dn + "'");
        }
        return stripped;
    }

    private static String requireAttribute(String attribute, String name) {
        if (attribute == null || attribute.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        String stripped = attribute.strip();
        // An attribute description: a name (letters, digits, hyphens, starting with a letter) or a numeric OID.
        if (!stripped.matches("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+")) {
            throw new IllegalArgumentException(name + " is not an attribute name: '" + attribute + "'");
        }
        return stripped;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** Builder with the defaults. */
    public static final class Builder {
        private final String url;
        private final String bindDn;
        private final String bindPassword;
        private final String userBaseDn;
        private final String groupBaseDn;
        private String userFilter = DEFAULT_USER_FILTER;
        private String usernameAttribute = DEFAULT_USERNAME_ATTRIBUTE;
        private String groupFilter = DEFAULT_GROUP_FILTER;
        private String groupNameAttribute = DEFAULT_GROUP_NAME_ATTRIBUTE;
        private boolean nestedGroups = true;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;

        private Builder(String url, String bindDn, String bindPassword, String userBaseDn, String groupBaseDn) {
            this.url = url;
            this.bindDn = bindDn;
            this.bindPassword = bindPassword;
            this.userBaseDn = userBaseDn;
            this.groupBaseDn = groupBaseDn;
        }

        public Builder userFilter(String userFilter) {
            this.userFilter = userFilter;
            return this;
        }

        public Builder usernameAttribute(String usernameAttribute) {
            this.usernameAttribute = usernameAttribute;
            return this;
        }

        public Builder groupFilter(String groupFilter) {
            this.groupFilter = groupFilter;
            return this;
        }

        public Builder groupNameAttribute(String groupNameAttribute) {
            this.groupNameAttribute = groupNameAttribute;
            return this;
        }

        public Builder nestedGroups(boolean nestedGroups) {
            this.nestedGroups = nestedGroups;
            return this;
        }

        public Builder maxNestingDepth(int maxNestingDepth) {
            this.maxNestingDepth = maxNestingDepth;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public DirectorySettings build() {
            return new DirectorySettings(
                    url,
                    bindDn,
                    bindPassword,
                    userBaseDn,
                    userFilter,
                    usernameAttribute,
                    groupBaseDn,
                    groupFilter,
                    groupNameAttribute,
                    nestedGroups,
                    maxNestingDepth,
                    connectTimeout,
                    responseTimeout,
                    poolSize);
        }
    }
}
