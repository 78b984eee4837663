/**
 * The scheduler framework's API: what plugins implement and what they may read.
 *
 * <p>Conventions for plugins (they live in {@code io.k4j.scheduler.plugins.<name>}, one plugin per package, grouped
 * as upstream groups them):
 * <ul>
 *   <li>a {@code public static final String NAME} with upstream's plugin name, and a public constructor
 *       {@code (PluginArgs args, Handle handle)} so {@code Foo::new} is a {@link io.k4j.scheduler.framework.PluginFactory};</li>
 *   <li>one interface per extension point ({@link io.k4j.scheduler.framework.FilterPlugin},
 *       {@link io.k4j.scheduler.framework.ScorePlugin}, ...), upstream's reason strings in {@link io.k4j.scheduler.framework.Status};</li>
 *   <li>plugins that reject pods implement {@link io.k4j.scheduler.framework.EnqueueExtensions} with the cluster
 *       events that can undo the rejection, so the queue retries parked pods only when something relevant changed;</li>
 *   <li>Filter and Score run for thousands of nodes per pod: parse a pod's terms once (PodInfo.derived, or PreFilter
 *       and PreScore into the CycleState), never per node; they may run on several threads for different nodes.</li>
 * </ul>
 * Plugins never change a {@link io.k4j.scheduler.framework.NodeInfo} or
 * {@link io.k4j.scheduler.framework.Snapshot} they did not copy themselves.
 */
package io.k4j.scheduler.framework;
