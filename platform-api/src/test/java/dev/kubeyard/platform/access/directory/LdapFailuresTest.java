package dev.kubeyard.platform.access.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures mean "no answer, try later" and which mean "the directory refused". */
class LdapFailuresTest {

    private static final LdapAddress SERVER = new LdapAddress("ldap.example.com", 636, true);

    static Stream<Arguments> failures() {
        return Stream.of(
                argumentSet("connect refused or timed out", ResultCode.CONNECT_ERROR, true),
                argumentSet("connection lost", ResultCode.SERVER_DOWN, true),
                argumentSet("no answer within the response timeout", ResultCode.TIMEOUT, true),
                argumentSet("server busy", ResultCode.BUSY, true),
                argumentSet("server unavailable", ResultCode.UNAVAILABLE, true),
                argumentSet("server's time limit", ResultCode.TIME_LIMIT_EXCEEDED, true),
                argumentSet("service account rejected", ResultCode.INVALID_CREDENTIALS, false),
                argumentSet("base DN missing", ResultCode.NO_SUCH_OBJECT, false),
                argumentSet("not allowed to read", ResultCode.INSUFFICIENT_ACCESS_RIGHTS, false),
                argumentSet("too many entries", ResultCode.SIZE_LIMIT_EXCEEDED, false),
                argumentSet("TLS required", ResultCode.CONFIDENTIALITY_REQUIRED, false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailureIsUnavailableOnlyWhenNoAnswerCameBack(ResultCode code, boolean unavailable) {
        DirectoryException e = LdapFailures.translate("search user", SERVER, new LDAPException(code, "detail"));

        assertThat(e).isInstanceOf(unavailable ? DirectoryUnavailableException.class : DirectoryRequestException.class);
        assertThat(e.isTransient()).isEqualTo(unavailable);
        assertThat(e.resultCode()).isEqualTo(code.getName());
        assertThat(e.operation()).isEqualTo("search user");
        assertThat(e).hasMessage("search user at ldaps://ldap.example.com:636: detail (" + code.getName() + ")");
    }

    @Test
    void anInterruptedWaitIsUnavailableAndKeepsTheInterrupt() {
        LDAPException interrupted =
                new LDAPException(ResultCode.LOCAL_ERROR, "interrupted", new InterruptedException());
        try {
            DirectoryException e = LdapFailures.translate("search user", SERVER, interrupted);

            assertThat(e).isInstanceOf(DirectoryUnavailableException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
