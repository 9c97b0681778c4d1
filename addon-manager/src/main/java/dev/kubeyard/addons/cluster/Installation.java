package dev.kubeyard.addons.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a user (or a default set, or a rollout) asked for one addon in one cluster.
 *
 * @param generation advanced on every change of version, values or namespace
 */
public record Installation(
        String cluster, String addon, String version, String namespace, ObjectNode values, long generation) {}
