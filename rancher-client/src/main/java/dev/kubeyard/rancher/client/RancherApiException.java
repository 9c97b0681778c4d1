package dev.kubeyard.rancher.client;

import java.util.Optional;

/**
 * Rancher answered with an error status. Carries the HTTP status, Rancher's error code ({@code
 * NotFound}, {@code Conflict}, {@code AlreadyExists}, {@code InvalidAction}, ...) and message, and the
 * field at fault when Rancher names one. Subclasses exist for the classes a caller acts on.
 */
public sealed class RancherApiException extends RancherException
        permits RancherNotFoundException,
                RancherConflictException,
                RancherAlreadyExistsException,
                RancherUnauthorizedException,
                RancherForbiddenException,
                RancherInvalidRequestException,
                RancherServerException {

    private final int status;
    private final String code;
    private final String rancherMessage;
    private final String fieldName;

    public RancherApiException(
            String method, String path, int status, String code, String rancherMessage, String fieldName) {
        super(method, path, status + " " + code + ": " + rancherMessage, null);
        this.status = status;
        this.code = code;
        this.rancherMessage = rancherMessage;
        this.fieldName = fieldName;
    }

    public int status() {
        return status;
    }

    /** Rancher's error code, or the Kubernetes reason passed through; never null. */
    public String code() {
        return code;
    }

    /** Rancher's own message, as it sent it. */
    public String rancherMessage() {
        return rancherMessage;
    }

    /** The field Rancher named as at fault (v3 validation errors), if any. */
    public Optional<String> fieldName() {
        return Optional.ofNullable(fieldName);
    }

    @Override
    public boolean isTransient() {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
