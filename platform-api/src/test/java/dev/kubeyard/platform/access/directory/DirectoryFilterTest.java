package dev.kubeyard.platform.access.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.unboundid.ldap.sdk.Filter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Filter templates: a value put into a filter stays one assertion value, whatever characters it holds. */
class DirectoryFilterTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                argumentSet("a plain name is left as it is", "alice", "alice"),
                argumentSet("asterisk", "a*", "a\\2a"),
                argumentSet("opening parenthesis", "a(", "a\\28"),
                argumentSet("closing parenthesis", "a)", "a\\29"),
                argumentSet("backslash", "a\\b", "a\\5cb"),
                argumentSet("NUL", "a\u0000b", "a\\00b"),
                argumentSet("an injection attempt", "*)(uid=*", "\\2a\\29\\28uid=\\2a"));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void escapesTheMetacharactersOfRfc4515(String value, String escaped) {
        assertThat(FilterTemplate.escape(value)).isEqualTo(escaped);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*)(uid=*", "*", "al*", "alice)(objectClass=*", "alice)(|(uid=*", "a\\29", "jürgen"})
    void aUsernameIsOneEqualityAssertionWithItsLiteralValue(String username) {
        Filter filter = FilterTemplate.parse("userFilter", "(uid={0})").apply(username);

        assertThat(filter.getFilterType()).isEqualTo(Filter.FILTER_TYPE_EQUALITY);
        assertThat(filter.getAttributeName()).isEqualTo("uid");
        assertThat(filter.getAssertionValue()).isEqualTo(username);
    }

    @Test
    void anInjectedClauseDoesNotAddAComponentToAnAndFilter() {
        Filter filter = FilterTemplate.parse("userFilter", "(&(objectClass=inetOrgPerson)(uid={0}))")
                .apply("alice)(objectClass=*");

        assertThat(filter.getFilterType()).isEqualTo(Filter.FILTER_TYPE_AND);
        assertThat(filter.getComponents()).hasSize(2);
        assertThat(filter.getComponents()[1].getAssertionValue()).isEqualTo("alice)(objectClass=*");
    }

    @Test
    void aMemberDnWithMetacharactersStaysOneValueInEveryPlaceholder() {
        String dn = "uid=odd*)(name,ou=people,dc=example,dc=com";

        Filter filter = FilterTemplate.parse("groupFilter", DirectorySettings.DEFAULT_GROUP_FILTER)
                .apply(dn);

        assertThat(filter.getFilterType()).isEqualTo(Filter.FILTER_TYPE_OR);
        assertThat(filter.getComponents())
                .extracting(Filter::getAttributeName, Filter::getAssertionValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("member", dn),
                        org.assertj.core.groups.Tuple.tuple("uniqueMember", dn));
    }

    @Test
    void aTemplateWithoutThePlaceholderIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> FilterTemplate.parse("userFilter", "(uid=alice)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userFilter")
                .hasMessageContaining("{0}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uid={0}", "(uid={0}", "(&(uid={0})", "((uid={0}))"})
    void aTemplateThatIsNoFilterIsRefusedNamingTheSetting(String template) {
        assertThatThrownBy(() -> FilterTemplate.parse("groupFilter", template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("groupFilter is not a valid LDAP filter");
    }
}
