package dev.kubeyard.platform.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The platform's own API token secrets: {@code kyd_} and 32 random base-62 characters (190 bits from
 * {@link SecureRandom}). The prefix lets the authentication mechanism claim only our tokens (anything else may be an
 * OIDC token) and lets secret scanners recognise a leaked one. Stored as SHA-256: with this much randomness a slow
 * password hash adds nothing, and a lookup by hash needs no per-token salt.
 */
public final class TokenSecrets {

    public static final String PREFIX = "kyd_";

    /** Our tokens, and nothing else. */
    public static final Pattern SHAPE = Pattern.compile("kyd_[0-9A-Za-z]{32,64}");

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {}

    public static String generate() {
        StringBuilder secret = new StringBuilder(PREFIX.length() + LENGTH).append(PREFIX);
        for (int i = 0; i < LENGTH; i++) {
            secret.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return secret.toString();
    }

    public static boolean looksLikeOurs(String candidate) {
        return candidate != null && SHAPE.matcher(candidate).matches();
    }

    /** The hex SHA-256 of the secret: what the database keeps. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /** The first characters, enough to tell one's tokens apart in a list, far too few to guess the rest. */
    public static String hint(String secret) {
        return secret.substring(0, PREFIX.length() + 4) + "...";
    }
}
