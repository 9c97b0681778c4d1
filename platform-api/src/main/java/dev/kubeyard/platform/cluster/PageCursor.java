package dev.kubeyard.platform.cluster;

import dev.kubeyard.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a list page: the name of the last cluster of the previous page, base64url-encoded with a
 * version prefix so that its content can change later without breaking callers who pass it back untouched.
 */
final class PageCursor {

    private static final String PREFIX = "v1:";

    private PageCursor() {}

    static String encode(String lastName) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastName).getBytes(StandardCharsets.UTF_8));
    }

    /** The name to continue after, or a 400 problem naming {@code cursor} when it is not one of ours. */
    static String decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
        }
        if (!text.startsWith(PREFIX) || text.length() == PREFIX.length()) {
            throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
        }
        return text.substring(PREFIX.length());
    }
}
