package dev.kubeyard.rancher.client;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Rancher bearer token, {@code <name>:<secret>} (the name may carry a prefix such as {@code ext/}).
 * The secret never appears in {@link #toString()}, so a token can be logged or put into an exception
 * by accident without leaking.
 */
public final class RancherToken {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._/-]+:[A-Za-z0-9._-]+");

    private final String value;

    private RancherToken(String value) {
        this.value = value;
    }

    /**
     * @throws IllegalArgumentException when the value is not of Rancher's {@code <name>:<secret>} form;
     *     the message does not repeat the value.
     */
    public static RancherToken of(String value) {
        Objects.requireNonNull(value, "token");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a Rancher token has the form <name>:<secret>");
        }
        return new RancherToken(value);
    }

    /** The part before the colon, which identifies the token and is safe to show. */
    public String name() {
        return value.substring(0, value.indexOf(':'));
    }

    /** The whole secret value, for the Authorization header and nothing else. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "RancherToken[" + name() + ":****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RancherToken other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
