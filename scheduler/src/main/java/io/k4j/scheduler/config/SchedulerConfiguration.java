package io.k4j.scheduler.config;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.scheduler.framework.PluginArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's configuration in the shape of upstream's KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1): profiles with plugins per extension point and pluginConfig args, and
 * percentageOfNodesToScore. Leader election and client settings come from the command line instead.
 */
public record SchedulerConfiguration(List<Profile> profiles, int percentageOfNodesToScore) {

    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    public static final String KIND = "KubeSchedulerConfiguration";

    public SchedulerConfiguration {
        profiles = List.copyOf(profiles);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one profile is required");
        }
        Set<String> names = new HashSet<>();
        for (Profile profile : profiles) {
            if (!names.add(profile.schedulerName())) {
                throw new IllegalArgumentException("profiles[].schedulerName: duplicate value \"" + profile.schedulerName() + "\"");
            }
        }
        if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore: must be between 0 and 100");
        }
    }

    public static SchedulerConfiguration defaults() {
        return new SchedulerConfiguration(List.of(Profile.defaults()), 0);
    }

    public static SchedulerConfiguration load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses YAML or JSON; errors name the offending field. */
    @SuppressWarnings("unchecked")
    public static SchedulerConfiguration parse(String text) {
        Object parsed = new KubernetesSerialization().unmarshal(text, Map.class);
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("scheduler configuration: expected a KubeSchedulerConfiguration object");
        }
        Object apiVersion = root.get("apiVersion");
        if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
            throw new IllegalArgumentException("scheduler configuration: apiVersion must be " + API_VERSION + ", not " + apiVersion);
        }
        Object kind = root.get("kind");
        if (kind != null && !KIND.equals(kind)) {
            throw new IllegalArgumentException("scheduler configuration: kind must be " + KIND + ", not " + kind);
        }
        int percentage = integer(root.get("percentageOfNodesToScore"), "percentageOfNodesToScore", 0);
        List<Profile> profiles = new ArrayList<>();
        Object list = root.get("profiles");
        if (list == null) {
            profiles.add(Profile.defaults());
        } else if (list instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                profiles.add(profile((Map<String, Object>) items.get(i), "profiles[" + i + "]"));
            }
        } else {
            throw new IllegalArgumentException("profiles: expected a list");
        }
        return new SchedulerConfiguration(profiles, percentage);
    }

    @SuppressWarnings("unchecked")
    private static Profile profile(Map<String, Object> map, String path) {
        String name = (String) map.getOrDefault("schedulerName", Profile.DEFAULT_SCHEDULER_NAME);
        Map<String, Object> plugins = (Map<String, Object>) map.getOrDefault("plugins", Map.of());
        Map<ExtensionPoint, PluginSet> points = new EnumMap<>(ExtensionPoint.class);
        for (ExtensionPoint point : ExtensionPoint.values()) {
            Object set = plugins.get(point.configName());
            if (set != null) {
                points.put(point, pluginSet((Map<String, Object>) set, path + ".plugins." + point.configName()));
            }
        }
        for (String key : plugins.keySet()) {
            boolean known = key.equals("multiPoint");
            for (ExtensionPoint point : ExtensionPoint.values()) {
                known |= point.configName().equals(key);
            }
            if (!known) {
                throw new IllegalArgumentException(path + ".plugins." + key + ": unknown extension point");
            }
        }
        PluginSet multiPoint = plugins.containsKey("multiPoint")
                ? pluginSet((Map<String, Object>) plugins.get("multiPoint"), path + ".plugins.multiPoint") : PluginSet.EMPTY;
        Map<String, PluginArgs> config = new HashMap<>();
        Object pluginConfig = map.get("pluginConfig");
        if (pluginConfig instanceof List<?> items) {
            for (Object item : items) {
                Map<String, Object> entry = (Map<String, Object>) item;
                Object pluginName = entry.get("name");
                if (pluginName == null) {
                    throw new IllegalArgumentException(path + ".pluginConfig[].name: required");
                }
                config.put(pluginName.toString(), new PluginArgs((Map<String, Object>) entry.get("args")));
            }
        }
        Integer percentage = map.containsKey("percentageOfNodesToScore")
                ? integer(map.get("percentageOfNodesToScore"), path + ".percentageOfNodesToScore", 0) : null;
        return new Profile(name, multiPoint, points, config, percentage);
    }

    @SuppressWarnings("unchecked")
    private static PluginSet pluginSet(Map<String, Object> map, String path) {
        List<PluginSet.Entry> enabled = new ArrayList<>();
        for (Object item : (List<Object>) map.getOrDefault("enabled", List.of())) {
            Map<String, Object> entry = (Map<String, Object>) item;
            enabled.add(new PluginSet.Entry(String.valueOf(entry.get("name")),
                    integer(entry.get("weight"), path + ".enabled[].weight", 0)));
        }
        List<String> disabled = new ArrayList<>();
        for (Object item : (List<Object>) map.getOrDefault("disabled", List.of())) {
            disabled.add(String.valueOf(((Map<String, Object>) item).get("name")));
        }
        return new PluginSet(enabled, disabled);
    }

    private static int integer(Object value, String path, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalArgumentException(path + ": expected an integer, got " + value);
    }

    /** The profile pods with this schedulerName use, or null when this scheduler has none (pods for other schedulers). */
    public Profile profile(String schedulerName) {
        for (Profile profile : profiles) {
            if (profile.schedulerName().equals(schedulerName)) {
                return profile;
            }
        }
        return null;
    }
}
