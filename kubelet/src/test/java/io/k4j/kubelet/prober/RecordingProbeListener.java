package io.k4j.kubelet.prober;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/** Records what the probe manager reports, as readable lines. */
class RecordingProbeListener implements ProbeListener {

    final List<String> kills = Collections.synchronizedList(new ArrayList<>());
    final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public synchronized void livenessFailed(String podUid, String containerName, String containerId, String message,
            OptionalLong gracePeriodSeconds) {
        kills.add(podUid + "/" + containerName + "/" + containerId + ": " + message
                + (gracePeriodSeconds.isPresent() ? " grace=" + gracePeriodSeconds.getAsLong() : ""));
    }

    @Override
    public synchronized void resultsChanged(String podUid) {
        changes.add(podUid);
    }

    @Override
    public synchronized void probeEvent(String podUid, String containerName, ProbeType type, String reason,
            String message) {
        events.add(reason + ": " + message);
    }
}
