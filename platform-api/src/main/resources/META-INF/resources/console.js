// Kubeyard console: replaces the cluster list with a fresh rendering from the server every few seconds.
// The server renders the list (ConsoleResource, the "clusters" fragment); refresh.js only swaps it in.
window.kubeyard.keepFresh(5000, "the list");
