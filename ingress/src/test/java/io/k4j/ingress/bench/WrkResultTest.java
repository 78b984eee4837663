package io.k4j.ingress.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    private static final String OUTPUT = """
            Running 10s test @ http://127.0.0.1:8080/
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.52ms    2.01ms  40.11ms   90.12%
                Req/Sec    22.10k     1.20k   25.00k    70.00%
              Latency Distribution
                 50%%  812.00us
                 75%%    1.50ms
                 90%%    3.10ms
                 99%%    9.87ms
              440123 requests in 10.01s, 60.12MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 4
            Requests/sec:  43968.33
            Transfer/sec:      6.01MB
            """.replace("%%", "%");

    @Test
    void readsRateP99AndErrors() {
        WrkResult result = WrkResult.parse(OUTPUT);
        assertThat(result.requestsPerSecond()).isEqualTo(43968.33);
        assertThat(result.p99Millis()).isEqualTo(9.87);
        assertThat(result.requests()).isEqualTo(440123);
        assertThat(result.errors()).isEqualTo(7);
    }

    @Test
    void convertsMicrosecondsAndSeconds() {
        assertThat(WrkResult.parse(OUTPUT.replace("9.87ms", "950.00us")).p99Millis()).isEqualTo(0.95);
        assertThat(WrkResult.parse(OUTPUT.replace("9.87ms", "1.20s")).p99Millis()).isEqualTo(1200.0);
    }

    @Test
    void refusesOutputWithoutLatencyDistribution() {
        assertThatThrownBy(() -> WrkResult.parse("Requests/sec: 10\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99%");
    }
}
