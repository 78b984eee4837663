package io.k4j.scheduler.core;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.Snapshot;
import java.time.Clock;

/** The Handle one profile's plugins get: services shared by every profile, and that profile's plugin runner. */
record FrameworkHandle(Snapshot snapshot, KubernetesClient client, Clock clock, Listers listers, PluginRunner runner,
                       Nominator nominator, EventRecorder events) implements Handle {
}
