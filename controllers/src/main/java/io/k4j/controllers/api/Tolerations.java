package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Upstream's toleration matching (ToleratesTaint), for the controllers that place or evict pods by taints. */
public final class Tolerations {

    private Tolerations() {
    }

    /** Effect (empty: any), key (empty: any), then the value by operator: Equal (the default) or Exists. */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String key = Objects.requireNonNullElse(toleration.getKey(), "");
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal"
                : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""),
                    Objects.requireNonNullElse(taint.getValue(), ""));
            default -> false;
        };
    }

    /** Whether any of the tolerations tolerates the taint. */
    public static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        return tolerations.stream().anyMatch(t -> tolerates(t, taint));
    }
}
