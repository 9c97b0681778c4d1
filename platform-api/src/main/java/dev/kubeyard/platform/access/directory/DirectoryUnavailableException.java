package dev.kubeyard.platform.access.directory;

/**
 * The directory could not be reached or did not answer in time: connect refused or timed out, connection lost, no
 * answer within the response timeout, no free pooled connection, or the server said it is busy or unavailable.
 * Nothing is known about the user; keep existing rights and try again later.
 */
public final class DirectoryUnavailableException extends DirectoryException {

    DirectoryUnavailableException(String operation, String server, String resultCode, String detail, Throwable cause) {
        super(operation, server, resultCode, detail, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
