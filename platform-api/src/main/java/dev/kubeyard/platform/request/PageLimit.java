package dev.kubeyard.platform.request;

import dev.kubeyard.platform.problem.ProblemException;

/** The {@code limit} query parameter of the listing endpoints: a whole number from 1 to a maximum. */
public final class PageLimit {

    /** The most items one page of any listing holds. */
    public static final int MAX = 500;

    private PageLimit() {}

    /** The limit, or a 400 problem naming the {@code limit} field. */
    public static int parse(String limit) {
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("limit", "must be a whole number from 1 to " + MAX);
        }
        if (value < 1 || value > MAX) {
            throw ProblemException.invalidField("limit", "must be from 1 to " + MAX + ", was " + value);
        }
        return value;
    }
}
