package dev.kubeyard.platform.access;

/** The answer of {@link AccessPolicy}. */
public enum Decision {
    /** Go ahead. */
    ALLOWED,
    /** The caller may see the thing but not do this to it: 403. */
    FORBIDDEN,
    /** The caller has no business with the thing at all: 404, as if it did not exist. */
    HIDDEN
}
