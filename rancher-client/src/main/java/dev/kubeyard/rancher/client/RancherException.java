package dev.kubeyard.rancher.client;

/**
 * Base of every failure the client reports. Either Rancher answered with an error status ({@link
 * RancherApiException} and its subclasses), or no answer came back at all ({@link
 * RancherTransportException}). Messages name the method and path, never a token or a request body.
 */
public abstract sealed class RancherException extends RuntimeException
        permits RancherApiException, RancherTransportException {

    private final String method;
    private final String path;

    protected RancherException(String method, String path, String message, Throwable cause) {
        super(method + " " + path + ": " + message, cause);
        this.method = method;
        this.path = path;
    }

    /** The HTTP method of the failed call. */
    public String method() {
        return method;
    }

    /** The path of the failed call, without host and without query. */
    public String path() {
        return path;
    }

    /** True when the same call may succeed later without any change (overload, outage, timeout). */
    public abstract boolean isTransient();
}
