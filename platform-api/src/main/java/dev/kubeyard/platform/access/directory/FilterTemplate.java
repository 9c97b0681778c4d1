package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Objects;

/**
 * A search filter with the placeholder {@code {0}}, such as {@code (uid={0})}. The value put in is escaped by the
 * rules of RFC 4515 (section 3: {@code *}, {@code (}, {@code )}, {@code \} and NUL become {@code \2a}, {@code \28},
 * {@code \29}, {@code \5c}, {@code \00}), so whatever a user types stays one assertion value and can never add a
 * clause or a wildcard to the filter.
 */
final class FilterTemplate {

    static final String PLACEHOLDER = "{0}";

    private final String setting;
    private final String template;

    private FilterTemplate(String setting, String template) {
        this.setting = setting;
        this.template = template;
    }

    /**
     * Checks the template once, when the settings are made: it must hold the placeholder and be a valid filter with
     * a value in its place.
     *
     * @param setting the setting's name, for the error message
     */
    static FilterTemplate parse(String setting, String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException(setting + " is required");
        }
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException(
                    setting + " must contain the placeholder " + PLACEHOLDER + ", got '" + template + "'");
        }
        FilterTemplate parsed = new FilterTemplate(setting, template.strip());
        try {
            // UnboundID would add the parentheses RFC 4515 requires; a setting that lacks them is more likely a typo.
            if (!parsed.template.startsWith("(") || !parsed.template.endsWith(")")) {
                throw new LDAPException(ResultCode.FILTER_ERROR, "a filter is enclosed in parentheses");
            }
            Filter.create(parsed.substitute("sample"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException(
                    setting + " is not a valid LDAP filter: '" + template + "': " + e.getExceptionMessage(), e);
        }
        return parsed;
    }

    /** RFC 4515 escaping of one assertion value. */
    static String escape(String value) {
        return Filter.encodeValue(Objects.requireNonNull(value, "value"));
    }

    /** The filter text with every placeholder replaced by the escaped value. */
    String substitute(String value) {
        return template.replace(PLACEHOLDER, escape(value));
    }

    /** The filter with every placeholder replaced by the escaped value. */
    Filter apply(String value) {
        try {
            return Filter.create(substitute(value));
        } catch (LDAPException e) {
            // Cannot happen for a template that parse() accepted: an escaped value is always a valid assertion value.
            throw new IllegalStateException(setting + " did not accept an escaped value", e);
        }
    }

    String template() {
        return template;
    }

    @Override
    public String toString() {
        return template;
    }
}
