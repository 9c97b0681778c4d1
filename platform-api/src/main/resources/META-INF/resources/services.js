// Kubeyard console, service board: replaces the service list (or a service's state) with a fresh rendering from the
// server every few seconds. The server renders it (ServiceBoardConsole, the "list" and "state" fragments); refresh.js
// only swaps it in. The filters live in the URL, so a reload or a shared link shows the same view.
window.kubeyard.keepFresh(5000, "the services");
