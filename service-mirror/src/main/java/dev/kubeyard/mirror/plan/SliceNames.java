package dev.kubeyard.mirror.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic EndpointSlice names: {@code <service>-<source-cluster>}, shortened with a hash when too long. */
public final class SliceNames {

    /** A DNS label: what the EndpointSlice controller's own names fit in too. */
    public static final int MAX = 63;

    private static final int HASH = 8;

    private SliceNames() {}

    /**
     * @param variant empty when the source has one set of ports and address type; else what tells its slices apart
     */
    public static String of(String service, String sourceCluster, String variant) {
        String name = service + "-" + sourceCluster + (variant.isEmpty() ? "" : "-" + hash(variant));
        if (name.length() <= MAX) {
            return name;
        }
        String prefix = name.substring(0, MAX - HASH - 1).replaceAll("[-.]+$", "");
        return prefix + "-" + hash(name);
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
