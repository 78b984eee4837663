package io.k4j.kubelet.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {

    private final Map<String, String> vars = Map.of("VAR_A", "A", "VAR_B", "B", "EMPTY", "");

    private String expand(String input) {
        return Expansion.expand(input, vars);
    }

    @Test
    void definedVariablesAreReplaced() {
        assertThat(expand("$(VAR_A)")).isEqualTo("A");
        assertThat(expand("x-$(VAR_A)-$(VAR_B)-y")).isEqualTo("x-A-B-y");
        assertThat(expand("$(VAR_A)$(VAR_B)")).isEqualTo("AB");
        assertThat(expand("$(EMPTY)x")).isEqualTo("x");
    }

    @Test
    void undefinedVariablesStayAsWritten() {
        assertThat(expand("$(NOPE)")).isEqualTo("$(NOPE)");
        assertThat(expand("a $(NOPE) b")).isEqualTo("a $(NOPE) b");
        assertThat(expand("$()")).isEqualTo("$()");
    }

    @Test
    void doubleDollarEscapes() {
        assertThat(expand("$$(VAR_A)")).isEqualTo("$(VAR_A)");
        assertThat(expand("$$$(VAR_A)")).isEqualTo("$A");
        assertThat(expand("$$$$(VAR_A)")).isEqualTo("$$(VAR_A)");
        assertThat(expand("$$")).isEqualTo("$");
        assertThat(expand("a$$b")).isEqualTo("a$b");
    }

    @Test
    void otherDollarsAreKept() {
        assertThat(expand("$VAR_A")).isEqualTo("$VAR_A");
        assertThat(expand("$")).isEqualTo("$");
        assertThat(expand("x$")).isEqualTo("x$");
        assertThat(expand("${VAR_A}")).isEqualTo("${VAR_A}");
    }

    @Test
    void unclosedReferencesAreKept() {
        assertThat(expand("$(VAR_A")).isEqualTo("$(VAR_A");
        assertThat(expand("$(VAR_A$(VAR_B)")).isEqualTo("$(VAR_A$(VAR_B)");
        assertThat(expand("$(")).isEqualTo("$(");
    }

    @Test
    void firstContextWins() {
        assertThat(Expansion.expand("$(X)", Map.of("X", "first"), Map.of("X", "second"))).isEqualTo("first");
        assertThat(Expansion.expand("$(Y)", Map.of("X", "first"), Map.of("Y", "second"))).isEqualTo("second");
    }

    @Test
    void commandAndArgs() {
        assertThat(EnvResolver.expand(List.of("sh", "-c", "echo $(VAR_A) $$(VAR_B)"), vars))
                .containsExactly("sh", "-c", "echo A $(VAR_B)");
        assertThat(EnvResolver.expand(null, vars)).isEmpty();
    }
}
