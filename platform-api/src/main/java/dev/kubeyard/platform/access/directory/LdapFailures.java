package dev.kubeyard.platform.access.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Set;

/**
 * Turns UnboundID's result codes into the two kinds of {@link DirectoryException}: no answer (transient) or a refusal
 * (needs a change). The line between them is the question "would the same call succeed later on its own?".
 */
final class LdapFailures {

    /**
     * No answer: the client could not connect, lost the connection or waited past the response timeout, or the
     * server said it is busy, unavailable, or ran out of its time limit. (An interrupted wait counts too; see
     * {@link #translate}.)
     */
    private static final Set<Integer> NO_ANSWER = Set.of(
            ResultCode.CONNECT_ERROR_INT_VALUE,
            ResultCode.SERVER_DOWN_INT_VALUE,
            ResultCode.TIMEOUT_INT_VALUE,
            ResultCode.BUSY_INT_VALUE,
            ResultCode.UNAVAILABLE_INT_VALUE,
            ResultCode.TIME_LIMIT_EXCEEDED_INT_VALUE);

    /** A bind that fails with one of these means "not this user with this password", whatever the server's reason. */
    private static final Set<Integer> CREDENTIALS_REFUSED = Set.of(
            ResultCode.INVALID_CREDENTIALS_INT_VALUE,
            ResultCode.INAPPROPRIATE_AUTHENTICATION_INT_VALUE,
            ResultCode.INVALID_DN_SYNTAX_INT_VALUE,
            ResultCode.NO_SUCH_OBJECT_INT_VALUE,
            // Locked or expired accounts: OpenLDAP's ppolicy and 389 DS answer these.
            ResultCode.UNWILLING_TO_PERFORM_INT_VALUE,
            ResultCode.CONSTRAINT_VIOLATION_INT_VALUE,
            ResultCode.INSUFFICIENT_ACCESS_RIGHTS_INT_VALUE);

    private LdapFailures() {}

    static boolean isNoAnswer(ResultCode code) {
        return NO_ANSWER.contains(code.intValue());
    }

    static boolean isCredentialsRefused(ResultCode code) {
        return CREDENTIALS_REFUSED.contains(code.intValue());
    }

    /**
     * The exception to throw for a failed operation. The message carries the operation, the server, the result code
     * and UnboundID's text of the failure; the request itself (and so any password in it) is never part of it.
     */
    static DirectoryException translate(String operation, LdapAddress server, LDAPException e) {
        ResultCode code = e.getResultCode();
        boolean interrupted = e.getCause() instanceof InterruptedException;
        if (interrupted) {
            // UnboundID reports an interrupted wait as a local error; keep the thread's interrupt for its owner.
            Thread.currentThread().interrupt();
        }
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "no detail" : e.getMessage();
        return interrupted || isNoAnswer(code)
                ? new DirectoryUnavailableException(operation, server.toString(), code.getName(), detail, e)
                : new DirectoryRequestException(operation, server.toString(), code.getName(), detail, e);
    }
}
