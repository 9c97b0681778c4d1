package dev.kubeyard.health.check;

import java.time.Instant;

/** A check (subject empty) or a finding changed status: one line of the cluster's health history. */
public record Transition(
        CheckId check, String subject, CheckStatus from, CheckStatus to, String reason, String message, Instant at) {}
