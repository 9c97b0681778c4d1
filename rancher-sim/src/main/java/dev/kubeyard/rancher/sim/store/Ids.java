package dev.kubeyard.rancher.sim.store;

import java.util.Random;
import java.util.UUID;

/** Generates Rancher- and Kubernetes-shaped identifiers from one seedable random source. */
public final class Ids {

    /** Kubernetes' generateName alphabet, also wrangler's random-token alphabet (no vowels, no 0/1/3). */
    public static final String KUBE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private final Random random;

    public Ids(long seed) {
        this.random = seed == 0 ? new Random() : new Random(seed);
    }

    /** Five characters as appended to a {@code generateName}. */
    public String suffix() {
        return pick(KUBE_ALPHABET, 5);
    }

    /** A management cluster id: {@code c-m-} plus 8 lower-case alphanumerics. */
    public String managementId() {
        return "c-m-" + pick(LOWER_ALNUM, 8);
    }

    /** A 54-character token secret (wrangler randomtoken). */
    public String tokenSecret() {
        return pick(KUBE_ALPHABET, 54);
    }

    public String hex(int length) {
        return pick(HEX, length);
    }

    public String uid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String pick(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }
}
