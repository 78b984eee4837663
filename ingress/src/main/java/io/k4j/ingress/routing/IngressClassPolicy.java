package io.k4j.ingress.routing;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Ingresses are ours: those naming one of our classes (spec.ingressClassName, or the deprecated
 * kubernetes.io/ingress.class annotation), and those naming none when one of our classes is the default.
 */
public record IngressClassPolicy(String className, String controller) {

    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    public static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    /** Decides for one snapshot of IngressClasses. */
    public Selector selector(List<IngressClass> classes) {
        Set<String> ours = new HashSet<>();
        ours.add(className);
        boolean isDefault = false;
        for (IngressClass ingressClass : classes) {
            boolean mine = ingressClass.getSpec() != null && controller.equals(ingressClass.getSpec().getController());
            if (mine || className.equals(ingressClass.getMetadata().getName())) {
                ours.add(ingressClass.getMetadata().getName());
                Map<String, String> annotations = ingressClass.getMetadata().getAnnotations();
                isDefault |= annotations != null && "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION));
            }
        }
        return new Selector(Set.copyOf(ours), isDefault);
    }

    /** Our class names and whether one of them is the cluster's default. */
    public record Selector(Set<String> classes, boolean isDefault) {

        public boolean serves(Ingress ingress) {
            String named = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
            if (named == null && ingress.getMetadata().getAnnotations() != null) {
                named = ingress.getMetadata().getAnnotations().get(LEGACY_CLASS_ANNOTATION);
            }
            return named == null ? isDefault : classes.contains(named);
        }
    }
}
