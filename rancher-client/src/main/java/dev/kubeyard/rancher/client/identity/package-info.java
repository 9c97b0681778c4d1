/**
 * Rancher identities for platform users: users, their cluster role bindings, and cluster-scoped tokens minted
 * for them (docs/decisions/0005-rancher-user-kubeconfigs.md).
 */
package dev.kubeyard.rancher.client.identity;
