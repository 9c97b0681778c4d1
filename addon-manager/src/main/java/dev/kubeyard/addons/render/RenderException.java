package dev.kubeyard.addons.render;

/** Helm could not render the addon version with the values (a template error, a schema violation Helm found). */
public final class RenderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }

    public RenderException(String message) {
        super(message);
    }
}
