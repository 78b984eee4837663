package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;

/** A Job's podFailurePolicy applied to one failed pod: the first rule that matches decides, as upstream. */
final class PodFailurePolicies {

    enum Action { FAIL_JOB, FAIL_INDEX, IGNORE, COUNT }

    /** What to do with the failure; {@code message} says why for FailJob (the Job's condition message). */
    record Outcome(Action action, String message) {
        static final Outcome COUNT = new Outcome(Action.COUNT, null);
    }

    private PodFailurePolicies() {
    }

    static Outcome evaluate(PodFailurePolicy policy, Pod pod) {
        if (policy == null || policy.getRules() == null) {
            return Outcome.COUNT;
        }
        List<PodFailurePolicyRule> rules = policy.getRules();
        for (int index = 0; index < rules.size(); index++) {
            PodFailurePolicyRule rule = rules.get(index);
            Action action = action(rule.getAction());
            if (action == null) {
                continue; // an action this version does not know: skipped, as upstream skips it
            }
            String cause = rule.getOnExitCodes() != null ? exitCodeCause(rule.getOnExitCodes(), pod)
                    : conditionCause(rule.getOnPodConditions(), pod);
            if (cause != null) {
                return new Outcome(action, cause + " matching " + rule.getAction() + " rule at index " + index);
            }
        }
        return Outcome.COUNT;
    }

    private static Action action(String name) {
        return switch (name == null ? "" : name) {
            case "FailJob" -> Action.FAIL_JOB;
            case "FailIndex" -> Action.FAIL_INDEX;
            case "Ignore" -> Action.IGNORE;
            case "Count" -> Action.COUNT;
            default -> null;
        };
    }

    /** Init containers first, then the others; exit code 0 never matches. */
    private static String exitCodeCause(PodFailurePolicyOnExitCodesRequirement requirement, Pod pod) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus() != null) {
            if (pod.getStatus().getInitContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getInitContainerStatuses());
            }
            if (pod.getStatus().getContainerStatuses() != null) {
                statuses.addAll(pod.getStatus().getContainerStatuses());
            }
        }
        for (ContainerStatus status : statuses) {
            if (status.getState() == null || status.getState().getTerminated() == null) {
                continue;
            }
            if (requirement.getContainerName() != null && !requirement.getContainerName().equals(status.getName())) {
                continue;
            }
            Integer exitCode = status.getState().getTerminated().getExitCode();
            if (exitCode == null || exitCode == 0) {
                continue;
            }
            boolean listed = requirement.getValues() != null && requirement.getValues().contains(exitCode);
            boolean matches = "In".equals(requirement.getOperator()) ? listed
                    : "NotIn".equals(requirement.getOperator()) && !listed;
            if (matches) {
                return "Container " + status.getName() + " for pod " + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName() + " failed with exit code " + exitCode;
            }
        }
        return null;
    }

    private static String conditionCause(List<PodFailurePolicyOnPodConditionsPattern> patterns, Pod pod) {
        if (patterns == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodFailurePolicyOnPodConditionsPattern pattern : patterns) {
            String wanted = pattern.getStatus() == null ? "True" : pattern.getStatus();
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if (condition.getType().equals(pattern.getType()) && wanted.equals(condition.getStatus())) {
                    return "Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                            + " has condition " + condition.getType();
                }
            }
        }
        return null;
    }
}
