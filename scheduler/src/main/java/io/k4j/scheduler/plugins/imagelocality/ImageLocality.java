package io.k4j.scheduler.plugins.imagelocality;

import io.fabric8.kubernetes.api.model.Container;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import java.util.List;

/**
 * Upstream's ImageLocality: favours nodes that already have the pod's images, each image counting its size scaled
 * by the fraction of nodes that have it (so one hot node does not draw every pod), the sum clamped between 23 MB and
 * 1000 MB per container and mapped onto [0, 100].
 */
public final class ImageLocality implements ScorePlugin {

    public static final String NAME = "ImageLocality";

    static final long MB = 1024L * 1024;
    /** Below this sum a node scores 0. */
    static final long MIN_THRESHOLD = 23 * MB;
    /** Per container: at or above this sum a node scores 100. */
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private static final PodInfo.Derived<List<String>> IMAGES = new PodInfo.Derived<>(pod -> {
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        List<Container> containers = pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
        return java.util.stream.Stream.concat(inits.stream(), containers.stream())
                .map(c -> normalizedImageName(c.getImage() == null ? "" : c.getImage()))
                .toList();
    });

    private final Handle handle;

    public ImageLocality(PluginArgs args, Handle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
        Snapshot snapshot = handle.snapshot();
        List<String> images = pod.derived(IMAGES);
        return calculatePriority(sumImageScores(nodeInfo, images, snapshot), images.size());
    }

    /** Upstream's calculatePriority: the clamped sum mapped linearly onto [0, 100]. */
    static long calculatePriority(long sumScores, int numContainers) {
        long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
        if (sumScores < MIN_THRESHOLD) {
            sumScores = MIN_THRESHOLD;
        } else if (sumScores > maxThreshold) {
            sumScores = maxThreshold;
        }
        if (maxThreshold <= MIN_THRESHOLD) {
            return 0;
        }
        return MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }

    /** The sizes of the pod's images (init containers and containers) present on the node, each scaled by its spread. */
    static long sumImageScores(NodeInfo nodeInfo, List<String> images, Snapshot snapshot) {
        int totalNodes = Math.max(1, snapshot.size());
        long sum = 0;
        for (String image : images) {
            Long size = nodeInfo.imageSizes().get(image);
            if (size != null) {
                sum += scaledImageScore(size, snapshot.imageNodeCount(image), totalNodes);
            }
        }
        return sum;
    }

    static long scaledImageScore(long size, int numNodes, int totalNodes) {
        double spread = (double) numNodes / (double) totalNodes;
        return (long) (size * spread);
    }

    /** Adds the default ":latest" tag to an image without a tag (or digest), as the runtime reports it. */
    static String normalizedImageName(String name) {
        if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            return name + ":latest";
        }
        return name;
    }
}
