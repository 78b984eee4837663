package io.k4j.scheduler.framework;

/**
 * A scheduler plugin. It implements one or more extension-point interfaces ({@link FilterPlugin},
 * {@link ScorePlugin}, ...); a profile enables it per point by {@link #name()}.
 */
public interface Plugin {
    /** The name profiles refer to, as upstream's (e.g. "NodeResourcesFit"); plugins keep it in a NAME constant. */
    String name();
}
