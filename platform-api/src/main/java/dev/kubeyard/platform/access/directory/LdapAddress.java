package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;

/**
 * Where the directory listens, parsed from an {@code ldap://} or {@code ldaps://} URL. Only scheme, host and port
 * are accepted: a base DN, attributes, scope or filter in the URL would silently compete with the settings that
 * name them, so they are refused.
 */
record LdapAddress(String host, int port, boolean secure) {

    static LdapAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required (ldap://host:389 or ldaps://host:636)");
        }
        LDAPURL parsed;
        try {
            parsed = new LDAPURL(url.strip());
        } catch (LDAPException e) {
            throw new IllegalArgumentException(
                    "url must be an ldap:// or ldaps:// URL, got '" + url + "': " + e.getExceptionMessage(), e);
        }
        String scheme = parsed.getScheme();
        if (!"ldap".equals(scheme) && !"ldaps".equals(scheme)) {
            throw new IllegalArgumentException("url must start with ldap:// or ldaps://, got '" + url + "'");
        }
        if (!parsed.hostProvided()) {
            throw new IllegalArgumentException("url must name the directory's host, got '" + url + "'");
        }
        if (parsed.baseDNProvided()
                || parsed.attributesProvided()
                || parsed.scopeProvided()
                || parsed.filterProvided()) {
            throw new IllegalArgumentException("url takes scheme, host and port only (the base DNs and filters are"
                    + " settings of their own), got '" + url + "'");
        }
        // LDAPURL fills in 389 or 636 when the port is absent.
        return new LdapAddress(parsed.getHost(), parsed.getPort(), "ldaps".equals(scheme));
    }

    @Override
    public String toString() {
        return (secure ? "ldaps://" : "ldap://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
