package dev.kubeyard.platform.access.directory;

/**
 * The directory answered, and refused: the service account's bind was rejected, a base DN does not exist, the
 * service account may not read what it searches, or a limit of the server was hit. Retrying does not help until the
 * configuration or the directory changes; nothing is known about the user meanwhile.
 */
public final class DirectoryRequestException extends DirectoryException {

    DirectoryRequestException(String operation, String server, String resultCode, String detail, Throwable cause) {
        super(operation, server, resultCode, detail, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
