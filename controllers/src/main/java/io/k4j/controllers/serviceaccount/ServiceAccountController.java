package io.k4j.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.util.List;

/** Keeps a {@code default} ServiceAccount in every active namespace, recreating it if deleted. */
public final class ServiceAccountController implements Reconciler {

    public static final String NAME = "serviceaccount";
    static final String DEFAULT = "default";

    @Override
    public void watch(Watches watches) {
        watches.primary(Namespace.class)
                .mapped(ServiceAccount.class, account -> DEFAULT.equals(account.getMetadata().getName())
                        ? List.of(ObjectKey.cluster(account.getMetadata().getNamespace())) : List.of());
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        var namespace = context.cache(Namespace.class).get(key);
        if (namespace.isEmpty() || namespace.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        String name = key.name();
        if (context.cache(ServiceAccount.class).get(new ObjectKey(name, DEFAULT)).isPresent()) {
            return Result.done();
        }
        try {
            context.client().serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(name).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // already there: the cache had not seen it yet
                throw e;
            }
        }
        return Result.done();
    }
}
