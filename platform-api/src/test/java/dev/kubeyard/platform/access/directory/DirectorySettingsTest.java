package dev.kubeyard.platform.access.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings are checked when they are made: a bad value fails at start-up with the setting's name. */
class DirectorySettingsTest {

    private static final String PASSWORD = "svc-Pa55-never-printed";

    private static DirectorySettings.Builder valid(String url) {
        return DirectorySettings.builder(
                url,
                "cn=kubeyard,ou=services,dc=example,dc=com",
                PASSWORD,
                "ou=people,dc=example,dc=com",
                "ou=groups,dc=example,dc=com");
    }

    @Test
    void theDefaultsSuitAnOpenLdapDirectory() {
        DirectorySettings settings = valid("ldap://ldap.example.com").build();

        assertThat(settings.userFilter()).isEqualTo("(uid={0})");
        assertThat(settings.usernameAttribute()).isEqualTo("uid");
        assertThat(settings.groupFilter()).isEqualTo("(|(member={0})(uniqueMember={0}))");
        assertThat(settings.groupNameAttribute()).isEqualTo("cn");
        assertThat(settings.nestedGroups()).isTrue();
        assertThat(settings.maxNestingDepth()).isEqualTo(10);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.poolSize()).isEqualTo(4);
    }

    static Stream<Arguments> urls() {
        return Stream.of(
                argumentSet("ldap without a port is 389", "ldap://ldap.example.com", "ldap.example.com", 389, false),
                argumentSet("ldaps without a port is 636", "ldaps://ldap.example.com", "ldap.example.com", 636, true),
                argumentSet("an explicit port", "ldap://ldap.example.com:1389", "ldap.example.com", 1389, false),
                argumentSet("a trailing slash", "ldaps://10.0.0.7:6636/", "10.0.0.7", 6636, true),
                argumentSet("surrounding blanks", "  ldap://ldap.example.com  ", "ldap.example.com", 389, false));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void theUrlGivesHostPortAndTls(String url, String host, int port, boolean secure) {
        assertThat(valid(url).build().address()).isEqualTo(new LdapAddress(host, port, secure));
    }

    static Stream<Arguments> badUrls() {
        return Stream.of(
                argumentSet("missing", null, "url is required"),
                argumentSet("blank", " ", "url is required"),
                argumentSet("http", "http://ldap.example.com", "url must"),
                argumentSet("no scheme", "ldap.example.com:389", "url must"),
                argumentSet("no host", "ldap://", "url must name the directory's host"),
                argumentSet("a base DN", "ldap://ldap.example.com/dc=example,dc=com", "scheme, host and port only"),
                argumentSet("a filter", "ldap://ldap.example.com/??sub?(uid=*)", "scheme, host and port only"));
    }

    @ParameterizedTest
    @MethodSource("badUrls")
    void aUrlThatIsNotJustSchemeHostAndPortIsRefused(String url, String message) {
        assertThatThrownBy(() -> valid(url).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                argumentSet(
                        "an empty bind password is an unauthenticated bind",
                        op(b -> DirectorySettings.builder(
                                "ldap://h", "cn=svc,dc=example,dc=com", "", "dc=example,dc=com", "dc=example,dc=com")),
                        "bindPassword is required"),
                argumentSet(
                        "bindDn missing",
                        op(b -> DirectorySettings.builder(
                                "ldap://h", " ", PASSWORD, "dc=example,dc=com", "dc=example,dc=com")),
                        "bindDn is required"),
                argumentSet(
                        "userBaseDn not a DN",
                        op(b -> DirectorySettings.builder(
                                "ldap://h", "cn=svc,dc=example,dc=com", PASSWORD, "people", "dc=example,dc=com")),
                        "userBaseDn is not a valid DN"),
                argumentSet(
                        "groupBaseDn not a DN",
                        op(b -> DirectorySettings.builder(
                                "ldap://h", "cn=svc,dc=example,dc=com", PASSWORD, "dc=example,dc=com", "=groups")),
                        "groupBaseDn is not a valid DN"),
                argumentSet("userFilter without placeholder", op(b -> b.userFilter("(uid=*)")), "userFilter must"),
                argumentSet("groupFilter not a filter", op(b -> b.groupFilter("member={0}")), "groupFilter is not"),
                argumentSet("usernameAttribute blank", op(b -> b.usernameAttribute("")), "usernameAttribute is"),
                argumentSet(
                        "groupNameAttribute not a name",
                        op(b -> b.groupNameAttribute("cn)(x")),
                        "groupNameAttribute is not an attribute name"),
                argumentSet("negative depth", op(b -> b.maxNestingDepth(-1)), "maxNestingDepth must not be negative"),
                argumentSet("zero connect timeout", op(b -> b.connectTimeout(Duration.ZERO)), "connectTimeout must"),
                argumentSet(
                        "negative response timeout",
                        op(b -> b.responseTimeout(Duration.ofSeconds(-1))),
                        "responseTimeout must"),
                argumentSet("empty pool", op(b -> b.poolSize(0)), "poolSize must be at least 1"));
    }

    private static UnaryOperator<DirectorySettings.Builder> op(UnaryOperator<DirectorySettings.Builder> change) {
        return change;
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void anInvalidSettingFailsNamingIt(UnaryOperator<DirectorySettings.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid("ldap://ldap.example.com")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aNumericOidIsAnAttributeName() {
        assertThat(valid("ldap://h").groupNameAttribute("2.5.4.3").build().groupNameAttribute())
                .isEqualTo("2.5.4.3");
    }

    @Test
    void theBindPasswordNeverShowsInToString() {
        DirectorySettings settings = valid("ldaps://ldap.example.com").build();

        assertThat(settings.toString())
                .doesNotContain(PASSWORD)
                .contains("bindPassword=***")
                .contains("bindDn=cn=kubeyard,ou=services,dc=example,dc=com")
                .contains("url=ldaps://ldap.example.com");
    }
}
