package io.k4j.scheduler.config;

import io.k4j.scheduler.framework.BindPlugin;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.Plugin;
import io.k4j.scheduler.framework.PermitPlugin;
import io.k4j.scheduler.framework.PostBindPlugin;
import io.k4j.scheduler.framework.PostFilterPlugin;
import io.k4j.scheduler.framework.PreBindPlugin;
import io.k4j.scheduler.framework.PreEnqueuePlugin;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.ReservePlugin;
import io.k4j.scheduler.framework.ScorePlugin;

/** The extension points, by their names in KubeSchedulerConfiguration's plugins section. */
public enum ExtensionPoint {
    PRE_ENQUEUE("preEnqueue", PreEnqueuePlugin.class),
    QUEUE_SORT("queueSort", QueueSortPlugin.class),
    PRE_FILTER("preFilter", PreFilterPlugin.class),
    FILTER("filter", FilterPlugin.class),
    POST_FILTER("postFilter", PostFilterPlugin.class),
    PRE_SCORE("preScore", PreScorePlugin.class),
    SCORE("score", ScorePlugin.class),
    RESERVE("reserve", ReservePlugin.class),
    PERMIT("permit", PermitPlugin.class),
    PRE_BIND("preBind", PreBindPlugin.class),
    BIND("bind", BindPlugin.class),
    POST_BIND("postBind", PostBindPlugin.class);

    private final String configName;
    private final Class<? extends Plugin> type;

    ExtensionPoint(String configName, Class<? extends Plugin> type) {
        this.configName = configName;
        this.type = type;
    }

    public String configName() {
        return configName;
    }

    /** True when the plugin implements this point's interface. */
    public boolean implementedBy(Plugin plugin) {
        return type.isInstance(plugin);
    }
}
