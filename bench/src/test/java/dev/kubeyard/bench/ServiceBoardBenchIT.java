package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.bench.ServiceBoardBench.ChangeKind;
import dev.kubeyard.bench.ServiceBoardBench.ChangeTime;
import dev.kubeyard.bench.ServiceBoardBench.SearchKind;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class ServiceBoardBenchIT {

    @Test
    void smallRunSyncsEveryServiceSeesEveryChangeAndTimesEverySearch() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));
        ServiceBoardBench.Options defaults = ServiceBoardBench.Options.defaults();
        // 3 clusters of 10 services in 2 namespaces, 8 changes (two of each kind), 3 runs per search.
        ServiceBoardBench.Options o = new ServiceBoardBench.Options(
                3,
                10,
                2,
                8,
                20,
                3,
                2,
                4,
                true,
                defaults.tick(),
                defaults.flushInterval(),
                defaults.flushParallelism(),
                defaults.staleAfter(),
                defaults.poll(),
                Duration.ofMinutes(2),
                "512m");

        ServiceBoardBench.Result r = ServiceBoardBench.run(jar, o);
        System.out.println(r.report());

        BoardSeed seed = new BoardSeed(10, 2);
        assertThat(r.seeding().objects())
                .isEqualTo(3L * seed.objects("demo-001").size());
        assertThat(r.sync().rows()).isEqualTo(30);
        assertThat(r.sync().statuses()).isEqualTo(r.sync().expected());
        assertThat(r.sync().flushes()).isPositive();
        assertThat(r.resources().collectors()).isEqualTo(3);

        assertThat(r.changes().missed()).isZero();
        assertThat(r.changes().times().stream().collect(Collectors.groupingBy(ChangeTime::kind, Collectors.counting())))
                .isEqualTo(Map.of(
                        ChangeKind.POD_NOT_READY, 2L,
                        ChangeKind.NEW_SERVICE, 2L,
                        ChangeKind.SERVICE_DELETED, 2L,
                        ChangeKind.INGRESS_HOST, 2L));
        assertThat(r.changes().seen()).hasSize(8).allSatisfy(d -> assertThat(d).isPositive());
        assertThat(r.changes().collectorTimer()).isNotEmpty();

        Map<String, SearchKind> searches =
                r.searches().stream().collect(Collectors.toMap(SearchKind::name, Function.identity()));
        assertThat(searches.values()).allSatisfy(s -> assertThat(s.times()).hasSize(3));
        assertThat(searches.get("one cluster").total()).isEqualTo(10);
        assertThat(searches.get("status Degraded or Down").total())
                .isEqualTo(r.sync().expected().getOrDefault(ServiceStatus.DEGRADED, 0L)
                        + r.sync().expected().getOrDefault(ServiceStatus.DOWN, 0L));
        assertThat(searches.keySet()).anyMatch(k -> k.startsWith("deep page by cursor"));
        assertThat(r.report()).contains("initial sync", "change → board", "search", "per cluster");
    }
}
