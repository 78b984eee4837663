package io.k4j.scheduler.framework;

/** Builds a plugin for one profile from its pluginConfig args. */
@FunctionalInterface
public interface PluginFactory {
    Plugin create(PluginArgs args, Handle handle);
}
