package dev.kubeyard.addons.render;

/**
 * A value that breaks the addon version's schema.
 *
 * @param path where in the values, dotted ({@code output.port}; empty for the values as a whole)
 * @param message what is wrong, as the schema validator says it
 */
public record ValueProblem(String path, String message) {

    @Override
    public String toString() {
        return (path.isEmpty() ? "values" : path) + ": " + message;
    }
}
