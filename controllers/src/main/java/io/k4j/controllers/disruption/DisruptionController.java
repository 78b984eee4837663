package io.k4j.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.LabelSelectors;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's disruption controller: keeps each PodDisruptionBudget's status (expectedPods, desiredHealthy,
 * currentHealthy, disruptionsAllowed, disruptedPods, observedGeneration and the DisruptionAllowed condition) current
 * with its pods, which is what the eviction subresource decides by.
 */
public final class DisruptionController implements Reconciler {

    public static final String NAME = "disruption";
    static final String CONDITION = "DisruptionAllowed";

    /** Budgets by namespace, so that a pod event finds the budgets selecting it. */
    private final Map<String, Map<String, PodDisruptionBudget>> budgets = new ConcurrentHashMap<>();

    @Override
    public void watch(Watches watches) {
        watches.primary(PodDisruptionBudget.class)
                .cached(PodDisruptionBudget.class, (event, oldBudget, budget) -> {
                    var inNamespace = budgets.computeIfAbsent(budget.getMetadata().getNamespace(),
                            ns -> new ConcurrentHashMap<>());
                    if (event == Watches.Event.DELETED) {
                        inNamespace.remove(budget.getMetadata().getName());
                    } else {
                        inNamespace.put(budget.getMetadata().getName(), budget);
                    }
                })
                .mapped(Pod.class, this::budgetsSelecting)
                .cached(ReplicaSet.class).cached(Deployment.class).cached(StatefulSet.class)
                .cached(ReplicationController.class);
    }

    private List<ObjectKey> budgetsSelecting(Pod pod) {
        var inNamespace = budgets.getOrDefault(pod.getMetadata().getNamespace(), Map.of());
        List<ObjectKey> keys = new ArrayList<>();
        for (PodDisruptionBudget budget : inNamespace.values()) {
            if (LabelSelectors.matches(budget.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                keys.add(ObjectKey.of(budget));
            }
        }
        return keys;
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        PodDisruptionBudget budget = context.cache(PodDisruptionBudget.class).get(key).orElse(null);
        if (budget == null || budget.getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        Instant now = context.clock().instant();
        List<Pod> pods = context.cache(Pod.class).list(key.namespace()).stream()
                .filter(pod -> LabelSelectors.matches(budget.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .toList();
        PodDisruptionBudgetStatus current = budget.getStatus() == null ? new PodDisruptionBudgetStatus()
                : budget.getStatus();
        PodDisruptionBudgetStatus wanted;
        Result result = Result.done();
        try {
            BudgetStatus computed = BudgetStatus.compute(budget.getSpec(), pods, ExpectedScale.of(pods, context),
                    current.getDisruptedPods(), now);
            boolean allowed = computed.disruptionsAllowed() > 0;
            wanted = new PodDisruptionBudgetStatusBuilder()
                    .withExpectedPods(computed.expectedPods()).withDesiredHealthy(computed.desiredHealthy())
                    .withCurrentHealthy(computed.currentHealthy()).withDisruptionsAllowed(computed.disruptionsAllowed())
                    .withDisruptedPods(computed.disruptedPods().isEmpty() ? null : computed.disruptedPods())
                    .withObservedGeneration(budget.getMetadata().getGeneration())
                    .withConditions(condition(current, allowed ? "True" : "False",
                            allowed ? "SufficientPods" : "InsufficientPods", "", budget, now))
                    .build();
            if (computed.recheckAt().isPresent()) {
                result = Result.requeueAfter(Duration.between(now, computed.recheckAt().get()).plusMillis(1));
            }
        } catch (IllegalArgumentException e) { // a malformed percentage: fail safe, as upstream
            context.events().warning(budget, "CalculateExpectedPodCountFailed",
                    "Failed to calculate the number of expected pods: " + e.getMessage());
            wanted = new PodDisruptionBudgetStatusBuilder(current).withDisruptionsAllowed(0)
                    .withObservedGeneration(budget.getMetadata().getGeneration())
                    .withConditions(condition(current, "False", "SyncFailed", e.getMessage(), budget, now)).build();
        }
        if (!Objects.equals(wanted, current)) {
            context.client().resources(PodDisruptionBudget.class).inNamespace(key.namespace())
                    .resource(new PodDisruptionBudgetBuilder(budget).withStatus(wanted).build()).updateStatus();
        }
        return result;
    }

    /** The DisruptionAllowed condition, keeping its transition time while its status stays. */
    private static Condition condition(PodDisruptionBudgetStatus current, String status, String reason,
            String message, PodDisruptionBudget budget, Instant now) {
        Condition previous = current.getConditions() == null ? null : current.getConditions().stream()
                .filter(c -> CONDITION.equals(c.getType())).findFirst().orElse(null);
        String since = previous != null && status.equals(previous.getStatus()) ? previous.getLastTransitionTime()
                : now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new ConditionBuilder().withType(CONDITION).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(budget.getMetadata().getGeneration()).withLastTransitionTime(since).build();
    }
}
