package io.k4j.scheduler.framework;

/** Decides whether a pod may enter the active queue at all; anything but success parks it until an event. */
public interface PreEnqueuePlugin extends Plugin {
    Status preEnqueue(PodInfo pod);
}
