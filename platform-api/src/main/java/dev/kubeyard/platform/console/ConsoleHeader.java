package dev.kubeyard.platform.console;

import dev.kubeyard.platform.access.Permission;

/**
 * What the top of every console page needs ({@code templates/layout/console.html}): where links start, the sandbox
 * banner, who is signed in, and whether the navigation offers the fleet-wide pages (addon rollouts: those who hold
 * {@link Permission#READ_FLEET}). {@link ConsoleCaller#header()} makes it for the request.
 */
public record ConsoleHeader(String base, boolean sandbox, String user, boolean fleet) {}
