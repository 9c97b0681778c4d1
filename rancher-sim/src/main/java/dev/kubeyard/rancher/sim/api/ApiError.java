package dev.kubeyard.rancher.sim.api;

/**
 * An error answer: HTTP status, Rancher/Kubernetes code ({@code NotFound}, {@code Conflict}...) and message.
 * Rendered in the shape of the API it occurs in (Steve, Norman, Kubernetes).
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final boolean emptyBody;
    private final String fieldName;

    private ApiError(int status, String code, String message, boolean emptyBody, String fieldName) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.emptyBody = emptyBody;
        this.fieldName = fieldName;
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, false, null);
    }

    /** A Norman validation error naming the offending field. */
    public static ApiError field(int status, String code, String fieldName, String message) {
        return new ApiError(status, code, message, false, fieldName);
    }

    /** Steve's answer for a type that does not exist or is not visible: 404 with no body. */
    public static ApiError unknownType() {
        return new ApiError(404, "NotFound", "", true, null);
    }

    public static ApiError notFound(String resource, String name) {
        return of(404, "NotFound", resource + " \"" + name + "\" not found");
    }

    public static ApiError alreadyExists(String resource, String name) {
        return of(409, "AlreadyExists", resource + " \"" + name + "\" already exists");
    }

    public static ApiError conflict(String resource, String name) {
        return of(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + resource + " \"" + name
                        + "\": the object has been modified; please apply your changes to the latest version and try"
                        + " again");
    }

    public static ApiError invalid(String kindAndGroup, String name, String details) {
        return of(422, "Invalid", kindAndGroup + " \"" + name + "\" is invalid: " + details);
    }

    public static ApiError badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiError permissionDenied(String message) {
        return of(403, "PermissionDenied", message);
    }

    public static ApiError methodNotAllowed(String method) {
        return of(405, "MethodNotAllowed", "Method " + method + " not supported");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The field a Norman validation error is about, or null. */
    public String fieldName() {
        return fieldName;
    }

    public boolean emptyBody() {
        return emptyBody;
    }

    /** Code that Rancher uses for a bare HTTP status (error injection, unexpected failures). */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> "ServerError";
        };
    }
}
