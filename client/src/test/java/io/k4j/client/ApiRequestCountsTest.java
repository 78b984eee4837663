package io.k4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRequestCountsTest {

    private static final String BEFORE = """
            # HELP apiserver_request_total Requests by verb, resource and HTTP code
            # TYPE apiserver_request_total counter
            apiserver_request_total{code="201",resource="pods",verb="CREATE"} 10.0
            apiserver_request_total{code="409",resource="pods",verb="CREATE"} 2.0
            apiserver_request_total{code="200",resource="pods",verb="LIST"} 1.0
            apiserver_request_duration_seconds_count{resource="pods",verb="CREATE"} 12.0
            """;

    @Test
    void sumsEachVerbAndResourceOverResponseCodes() {
        ApiRequestCounts counts = ApiRequestCounts.parse(BEFORE);

        assertThat(counts.count("CREATE", "pods")).isEqualTo(12);
        assertThat(counts.count("LIST", "pods")).isEqualTo(1);
        assertThat(counts.count("WATCH", "pods")).isZero();
    }

    @Test
    void tellsTheRequestsMadeSinceAnEarlierReadingPerUnit() {
        ApiRequestCounts after = ApiRequestCounts.parse("""
                apiserver_request_total{code="201",resource="pods",verb="CREATE"} 14.0
                apiserver_request_total{code="409",resource="pods",verb="CREATE"} 2.0
                apiserver_request_total{code="200",resource="pods",verb="LIST"} 1.0
                apiserver_request_total{code="201",resource="events",verb="CREATE"} 8.0
                """);

        // over 2 pods: 4 more pod creates, 8 event creates, no more lists
        assertThat(after.since(ApiRequestCounts.parse(BEFORE), 2)).isEqualTo("CREATE events: 4.00, CREATE pods: 2.00");
    }
}
