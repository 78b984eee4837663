package io.k4j.scheduler.plugins.noderesources;

import io.k4j.scheduler.framework.PluginArgs;

import io.k4j.scheduler.framework.ScorePlugin;
import java.util.List;
import java.util.Map;

/** Upstream's scoring functions for NodeResourcesFit's strategies and NodeResourcesBalancedAllocation. */
final class Scorers {

    static final String LEAST_ALLOCATED = "LeastAllocated";
    static final String MOST_ALLOCATED = "MostAllocated";
    static final String REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio";

    /** The highest score a RequestedToCapacityRatio shape point may give (upstream's MaxCustomPriorityScore). */
    static final long MAX_CUSTOM_PRIORITY_SCORE = 10;
    static final long MAX_UTILIZATION = 100;

    /** A point of a RequestedToCapacityRatio shape: utilization in [0, 100], score in [0, 10]. */
    record ShapePoint(long utilization, long score) {
    }

    private Scorers() {
    }

    static long leastRequestedScore(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * ScorePlugin.MAX_NODE_SCORE / capacity;
    }

    static long mostRequestedScore(long requested, long capacity) {
        if (capacity == 0) {
            return 0;
        }
        if (requested > capacity) {
            requested = capacity; // pods without requests count the defaults, which may overshoot
        }
        return requested * ScorePlugin.MAX_NODE_SCORE / capacity;
    }

    static ResourceAllocationScorer.Function leastAllocated(List<ResourceSpec> resources) {
        return (requested, allocatable) -> weighted(resources, requested, allocatable, true);
    }

    static ResourceAllocationScorer.Function mostAllocated(List<ResourceSpec> resources) {
        return (requested, allocatable) -> weighted(resources, requested, allocatable, false);
    }

    private static long weighted(List<ResourceSpec> resources, long[] requested, long[] allocatable, boolean least) {
        long nodeScore = 0;
        long weightSum = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            long weight = resources.get(i).weight();
            long score = least ? leastRequestedScore(requested[i], allocatable[i]) : mostRequestedScore(requested[i], allocatable[i]);
            nodeScore += score * weight;
            weightSum += weight;
        }
        return weightSum == 0 ? 0 : nodeScore / weightSum;
    }

    /** Upstream's BuildBrokenLinearFunction over points whose scores are already on the 0..100 scale. */
    static long brokenLinear(List<ShapePoint> shape, long p) {
        for (int i = 0; i < shape.size(); i++) {
            ShapePoint point = shape.get(i);
            if (p <= point.utilization()) {
                if (i == 0) {
                    return point.score();
                }
                ShapePoint previous = shape.get(i - 1);
                return previous.score() + (point.score() - previous.score()) * (p - previous.utilization())
                        / (point.utilization() - previous.utilization());
            }
        }
        return shape.get(shape.size() - 1).score();
    }

    static ResourceAllocationScorer.Function requestedToCapacityRatio(List<ResourceSpec> resources, List<ShapePoint> shape) {
        List<ShapePoint> scaled = shape.stream()
                .map(p -> new ShapePoint(p.utilization(), p.score() * (ScorePlugin.MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE)))
                .toList();
        return (requested, allocatable) -> {
            long nodeScore = 0;
            long weightSum = 0;
            for (int i = 0; i < requested.length; i++) {
                if (allocatable[i] == 0) {
                    continue;
                }
                long weight = resources.get(i).weight();
                long score = requested[i] > allocatable[i]
                        ? brokenLinear(scaled, MAX_UTILIZATION)
                        : brokenLinear(scaled, requested[i] * MAX_UTILIZATION / allocatable[i]);
                if (score > 0) {
                    nodeScore += score * weight;
                    weightSum += weight;
                }
            }
            return weightSum == 0 ? 0 : Math.round((double) nodeScore / weightSum);
        };
    }

    /**
     * Upstream's balancedResourceScorer: 100 × (1 − the standard deviation of the requested fractions). Two passes
     * over the resources instead of an array of fractions: it runs for every node scored.
     */
    static long balanced(long[] requested, long[] allocatable) {
        int count = 0;
        double total = 0;
        double first = 0;
        double second = 0;
        for (int i = 0; i < requested.length; i++) {
            if (allocatable[i] == 0) {
                continue;
            }
            double fraction = fraction(requested[i], allocatable[i]);
            total += fraction;
            if (count == 0) {
                first = fraction;
            } else if (count == 1) {
                second = fraction;
            }
            count++;
        }
        double std = 0;
        if (count == 2) {
            std = Math.abs((first - second) / 2);
        } else if (count > 2) {
            double mean = total / count;
            double sum = 0;
            for (int i = 0; i < requested.length; i++) {
                if (allocatable[i] != 0) {
                    double deviation = fraction(requested[i], allocatable[i]) - mean;
                    sum += deviation * deviation;
                }
            }
            std = Math.sqrt(sum / count);
        }
        return (long) ((1 - std) * ScorePlugin.MAX_NODE_SCORE);
    }

    private static double fraction(long requested, long allocatable) {
        return Math.min(1, (double) requested / (double) allocatable);
    }

    /** Reads and validates requestedToCapacityRatio.shape. */
    static List<ShapePoint> parseShape(Object ratio, String path) {
        if (!(ratio instanceof Map<?, ?> map) || !(map.get("shape") instanceof List<?> points) || points.isEmpty()) {
            throw new IllegalArgumentException(path + ".shape: Required value");
        }
        List<ShapePoint> shape = new java.util.ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (!(points.get(i) instanceof Map<?, ?> point)) {
                throw new IllegalArgumentException(path + ".shape[" + i + "]: not an object");
            }
            long utilization = PluginArgs.number(point.get("utilization"), 0, path + ".shape[" + i + "].utilization");
            long score = PluginArgs.number(point.get("score"), 0, path + ".shape[" + i + "].score");
            if (utilization < 0 || utilization > MAX_UTILIZATION) {
                throw new IllegalArgumentException(path + ".shape[" + i + "].utilization: Invalid value: " + utilization
                        + ": not in valid range [0, 100]");
            }
            if (i > 0 && utilization <= shape.get(i - 1).utilization()) {
                throw new IllegalArgumentException(path + ".shape[" + i + "].utilization: Invalid value: " + utilization
                        + ": utilization values must be sorted in increasing order");
            }
            if (score < 0 || score > MAX_CUSTOM_PRIORITY_SCORE) {
                throw new IllegalArgumentException(path + ".shape[" + i + "].score: Invalid value: " + score
                        + ": not in valid range [0, 10]");
            }
            shape.add(new ShapePoint(utilization, score));
        }
        return List.copyOf(shape);
    }
}
