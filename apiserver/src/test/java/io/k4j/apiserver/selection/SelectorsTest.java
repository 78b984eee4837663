package io.k4j.apiserver.selection;

import static io.k4j.apiserver.selection.LabelSelectorTest.assertBadRequest;
import static io.k4j.apiserver.selection.LabelSelectorTest.obj;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SelectorsTest {

    private static final ObjectNode POD = obj("{'metadata':{'name':'p1','namespace':'ns1','labels':{'app':'web'}},"
            + "'spec':{'nodeName':'n1'},'status':{'phase':'Running'}}");

    @Test
    void emptyQueriesSelectEverything() {
        assertThat(Selectors.fromQuery("", "", "", "Pod")).isSameAs(Selector.EVERYTHING);
        assertThat(Selectors.fromQuery(null, null, "", "Pod")).isSameAs(Selector.EVERYTHING);
        assertThat(Selectors.fromQuery(" ", ",", "apps", "Deployment")).isSameAs(Selector.EVERYTHING);
        assertThat(Selectors.parse(null, null, "", "Pod").isEmpty()).isTrue();
    }

    @Test
    void combinesLabelAndFieldSelectors() {
        assertThat(Selectors.fromQuery("app=web", "", "", "Pod")).isInstanceOf(LabelSelector.class);
        assertThat(Selectors.fromQuery("", "spec.nodeName=n1", "", "Pod")).isInstanceOf(FieldSelector.class);

        assertThat(Selectors.fromQuery("app=web", "spec.nodeName=n1", "", "Pod").matches(POD)).isTrue();
        assertThat(Selectors.fromQuery("app=web", "spec.nodeName=n2", "", "Pod").matches(POD)).isFalse();
        assertThat(Selectors.fromQuery("app=db", "spec.nodeName=n1", "", "Pod").matches(POD)).isFalse();
        assertThat(Selectors.fromQuery("app", "status.phase!=Succeeded,status.phase!=Failed", "", "Pod")
                .matches(POD)).isTrue();

        Selectors.Query query = Selectors.parse("app=web", "metadata.name=p1", "", "Pod");
        assertThat(query.fields().requiredValue("metadata.name")).contains("p1");
        assertThat(query.labels().requiredValue("app")).contains("web");
        assertThat(query.matches(POD)).isTrue();
    }

    @Test
    void labelSelectorErrorsComeFirst() {
        assertBadRequest(() -> Selectors.fromQuery("a b", "spec.foo=x", "", "Pod"),
                "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
        assertBadRequest(() -> Selectors.fromQuery("a", "spec.foo=x", "", "Pod"),
                "field label not supported: spec.foo");
        assertBadRequest(() -> Selectors.fromQuery("", "spec.replicas=1", "apps", "Deployment"),
                "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }
}
