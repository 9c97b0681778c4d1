package dev.kubeyard.rancher.client;

import java.io.IOException;
import java.io.InterruptedIOException;

/** No answer came back: the connection failed, was reset, or the call ran past its timeout. */
public final class RancherTransportException extends RancherException {

    private final boolean timedOut;

    public RancherTransportException(String method, String path, IOException cause) {
        super(method, path, describe(cause), cause);
        this.timedOut = cause instanceof InterruptedIOException;
    }

    private static String describe(IOException cause) {
        String kind = cause instanceof InterruptedIOException ? "timed out" : "no answer";
        return kind + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }

    /** True when the call ran past its connect, read or overall timeout. */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
