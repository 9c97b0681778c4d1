package dev.kubeyard.platform.access.directory;

/**
 * The directory gave no usable answer, so nothing is known about the user: neither "not found" nor "no groups".
 * Callers keep the rights they already hold and ask again later; they never revoke on this exception. Either the
 * directory could not be reached in time ({@link DirectoryUnavailableException}) or it answered with a refusal that
 * only a change of configuration or of the directory fixes ({@link DirectoryRequestException}).
 *
 * <p>Messages name the operation, the server and LDAP's result code, never a password.
 */
public abstract sealed class DirectoryException extends RuntimeException
        permits DirectoryUnavailableException, DirectoryRequestException {

    private final String operation;
    private final String resultCode;

    DirectoryException(String operation, String server, String resultCode, String detail, Throwable cause) {
        super(operation + " at " + server + ": " + detail + " (" + resultCode + ")", cause);
        this.operation = operation;
        this.resultCode = resultCode;
    }

    /** What was being done, for example {@code "search user"}. */
    public String operation() {
        return operation;
    }

    /** LDAP's result code name, for example {@code "server down"} or {@code "invalid credentials"}. */
    public String resultCode() {
        return resultCode;
    }

    /** True when the same call may succeed later without any change (outage, overload, timeout). */
    public abstract boolean isTransient();
}
