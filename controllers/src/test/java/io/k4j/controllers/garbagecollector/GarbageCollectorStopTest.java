package io.k4j.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.EventRecorder;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.runtime.SharedCaches;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A collector whose loop has stopped starts no monitors, even if a worker runs a discovery after the stop. */
class GarbageCollectorStopTest {

    ControllerHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = ControllerHarness.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void aDiscoveryAfterStopStartsNoMonitors() throws Exception {
        GarbageCollector collector = new GarbageCollector();
        try (SharedCaches caches = new SharedCaches(harness.client());
             EventRecorder events = new EventRecorder(harness.client(), Clock.systemUTC(), "test")) {
            // The loop is built (the collector declares its watches) but never started: the test plays its worker.
            ControllerLoop loop = new ControllerLoop(GarbageCollector.NAME, collector, 1, harness.client(), caches,
                    Clock.systemUTC(), events);

            collector.stop();
            collector.reconcile(GarbageCollector.DISCOVER, loop.context());

            assertThat(collector.monitoring()).isFalse();
            assertThat(harness.requests("LIST", "secrets")).isZero(); // no informer of its own has listed anything
        }
    }
}
