package dev.kubeyard.rancher.sim;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Stand-alone entry point:
 * {@code java -jar rancher-sim-*-standalone.jar --port 8443 --clusters 50 [--token name:secret] [--host 127.0.0.1]}.
 * Prints the URL, then serves until SIGTERM or SIGINT, on which it closes cleanly.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar rancher-sim-standalone.jar [options]
              --port <n>            port to listen on (default 8443; 0 picks a free one)
              --host <address>      interface to bind (default 127.0.0.1)
              --clusters <n>        demo clusters demo-001... created Ready at start-up (default 3)
              --demo-pools <e,c,w>  machines per demo pool: etcd, control plane, workers
              --token <name:secret> accept only this API token (default: any well-formed token)
              --timing <fast|realistic>  lifecycle step durations (default realistic)
              --seed <n>            seed for generated ids (default random)
            """;

    private Main() {}

    public static void main(String[] args) {
        SimOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("rancher-sim: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        RancherSim sim = RancherSim.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sim.close();
                            System.out.println("rancher-sim stopped");
                            System.out.flush();
                            stopped.countDown();
                        },
                        "rancher-sim-shutdown"));
        PrintStream out = System.out;
        out.println("rancher-sim listening on " + sim.url() + " (" + options.demoClusters() + " demo clusters, token "
                + (options.token().isPresent() ? "fixed" : "any") + ")");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The options from the command line, or null when help was asked for. */
    static SimOptions parse(String[] args) {
        SimOptions options = SimOptions.defaults().port(8443).demoClusters(3);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + arg);
            }
            String value = args[++i];
            try {
                options = switch (arg) {
                    case "--port" -> options.port(Integer.parseInt(value));
                    case "--host" -> options.host(value);
                    case "--clusters" -> options.demoClusters(Integer.parseInt(value));
                    case "--token" -> options.token(value);
                    case "--seed" -> options.seed(Long.parseLong(value));
                    case "--timing" ->
                        options.timing(
                                switch (value) {
                                    case "fast" -> SimTiming.fast();
                                    case "realistic" -> SimTiming.realistic();
                                    default -> throw new IllegalArgumentException("--timing is fast or realistic");
                                });
                    case "--demo-pools" -> {
                        String[] parts = value.split(",");
                        if (parts.length != 3) {
                            throw new IllegalArgumentException("--demo-pools wants etcd,controlplane,workers");
                        }
                        yield options.demoPools(
                                Integer.parseInt(parts[0].trim()),
                                Integer.parseInt(parts[1].trim()),
                                Integer.parseInt(parts[2].trim()));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(arg + " wants a number, got " + value);
            }
        }
        return options;
    }
}
