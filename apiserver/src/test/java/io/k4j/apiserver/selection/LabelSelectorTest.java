package io.k4j.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class LabelSelectorTest {

    private static final String QUALIFIED_NAME_RULE = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String LABEL_VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    static void assertBadRequest(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("BadRequest");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    private static final ObjectNode WEB = obj("{'metadata':{'name':'w','labels':"
            + "{'app':'web','tier':'frontend','n':'5','example.com/team':'a'}}}");
    private static final ObjectNode UNLABELLED = obj("{'metadata':{'name':'u'}}");

    static Stream<Arguments> matchCases() {
        return Stream.of(
            Arguments.of("app=web", true),
            Arguments.of("app=db", false),
            Arguments.of("app==web", true),
            Arguments.of("app!=db", true),
            Arguments.of("app!=web", false),
            Arguments.of("missing!=x", true),
            Arguments.of("app in (web,db)", true),
            Arguments.of("app in (db)", false),
            Arguments.of("missing in (a)", false),
            Arguments.of("app notin (web)", false),
            Arguments.of("app notin (db,api)", true),
            Arguments.of("missing notin (a)", true),
            Arguments.of("app", true),
            Arguments.of("missing", false),
            Arguments.of("!missing", true),
            Arguments.of("!app", false),
            Arguments.of("n>3", true),
            Arguments.of("n>5", false),
            Arguments.of("n<6", true),
            Arguments.of("n<5", false),
            Arguments.of("app>1", false),
            Arguments.of("missing<1", false),
            Arguments.of("app=web,tier=frontend", true),
            Arguments.of("app=web,tier=backend", false),
            Arguments.of("example.com/team=a", true),
            Arguments.of("  app = web ,  tier in ( frontend , x ) ", true),
            Arguments.of("missing=", false),
            Arguments.of("missing in ()", false),
            Arguments.of("missing notin ()", true));
    }

    @ParameterizedTest
    @MethodSource("matchCases")
    void operatorsMatchLabels(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(expected);
    }

    @Test
    void objectsWithoutLabels() {
        assertThat(LabelSelector.parse("!app").matches(UNLABELLED)).isTrue();
        assertThat(LabelSelector.parse("app").matches(UNLABELLED)).isFalse();
        assertThat(LabelSelector.parse("app!=web").matches(UNLABELLED)).isTrue();
        assertThat(LabelSelector.parse("").matches(UNLABELLED)).isTrue();
        assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
        assertThat(LabelSelector.parse("  ").isEmpty()).isTrue();
    }

    @Test
    void emptyValueMatchesEmptyLabel() {
        ObjectNode object = obj("{'metadata':{'labels':{'a':''}}}");
        assertThat(LabelSelector.parse("a=").matches(object)).isTrue();
        assertThat(LabelSelector.parse("a in ()").matches(object)).isTrue();
        assertThat(LabelSelector.parse("a in (,x)").matches(object)).isTrue();
        assertThat(LabelSelector.parse("a").matches(object)).isTrue();
    }

    static Stream<Arguments> renderCases() {
        return Stream.of(
            Arguments.of("x=a,y=b,z=c", "x=a,y=b,z=c"),
            Arguments.of("z=c,x=a", "x=a,z=c"),
            Arguments.of("x==a", "x==a"),
            Arguments.of("x!=a", "x!=a"),
            Arguments.of("x in (b,a,a)", "x in (a,b)"),
            Arguments.of("x notin (a)", "x notin (a)"),
            Arguments.of("x", "x"),
            Arguments.of("!x", "!x"),
            Arguments.of("x>1", "x>1"),
            Arguments.of("x<10", "x<10"),
            Arguments.of("x in ()", "x in ()"),
            Arguments.of("x in (,a)", "x in (,a)"),
            Arguments.of("x in (a,,b)", "x in (,a,b)"),
            Arguments.of("x in (a,)", "x in (,a)"),
            Arguments.of("x=", "x="),
            Arguments.of("  x  =  a , y in ( b , c ) ", "x=a,y in (b,c)"),
            Arguments.of("x=a,x!=b", "x=a,x!=b"),
            Arguments.of("in in (in)", "in in (in)"),
            Arguments.of("notin notin (in,notin)", "notin notin (in,notin)"),
            Arguments.of("example.com/app=web", "example.com/app=web"),
            Arguments.of("\tx\n=\ra", "x=a"),
            Arguments.of("b,!a", "!a,b"));
    }

    @ParameterizedTest
    @MethodSource("renderCases")
    void rendersCanonically(String selector, String canonical) {
        assertThat(LabelSelector.parse(selector).toString()).isEqualTo(canonical);
    }

    static Stream<Arguments> syntaxErrorCases() {
        return Stream.of(
            Arguments.of("x=a b", "found 'b', expected: ',' or 'end of string'"),
            Arguments.of("x=a,", "found '', expected: identifier after ','"),
            Arguments.of("x=a,,y", "found ',', expected: identifier after ','"),
            Arguments.of(",x", "found ',', expected: !, identifier, or 'end of string'"),
            Arguments.of("=a", "found '=', expected: !, identifier, or 'end of string'"),
            Arguments.of("(x)", "found '(', expected: !, identifier, or 'end of string'"),
            Arguments.of("!a=b", "found '=', expected: ',' or 'end of string'"),
            Arguments.of("x in a", "unable to parse requirement: found 'a' expected: '('"),
            Arguments.of("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
            Arguments.of("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
            Arguments.of("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
            Arguments.of("x in", "unable to parse requirement: found '' expected: '('"),
            Arguments.of("x (a)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
            Arguments.of("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
            Arguments.of("x=(a)", "unable to parse requirement: found '(', expected: identifier"),
            Arguments.of("x!=!", "unable to parse requirement: found '!', expected: identifier"),
            Arguments.of("!", "unable to parse requirement: found '', expected: identifier"),
            Arguments.of("!!x", "unable to parse requirement: found '!', expected: identifier"),
            Arguments.of("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
                    + "for 'Gt', 'Lt' operators, the value must be an integer"),
            Arguments.of("x<1.5", "unable to parse requirement: values[0]: Invalid value: \"1.5\": "
                    + "for 'Gt', 'Lt' operators, the value must be an integer"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrorCases")
    void syntaxErrors(String selector, String message) {
        assertBadRequest(() -> LabelSelector.parse(selector), message);
    }

    @Test
    void invalidKeys() {
        assertBadRequest(() -> LabelSelector.parse("a/b/c=d"), "unable to parse requirement: <nil>: Invalid value: "
                + "\"a/b/c\": a qualified name " + QUALIFIED_NAME_RULE
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        String longKey = "k".repeat(64);
        assertBadRequest(() -> LabelSelector.parse(longKey), "unable to parse requirement: <nil>: Invalid value: \""
                + longKey + "\": name part must be no more than 63 characters");
        assertThat(LabelSelector.parse("k".repeat(63)).toString()).isEqualTo("k".repeat(63));
        assertBadRequest(() -> LabelSelector.parse("-a=b"), "unable to parse requirement: <nil>: Invalid value: "
                + "\"-a\": name part " + QUALIFIED_NAME_RULE);
        assertBadRequest(() -> LabelSelector.parse("Example.com/a"), "unable to parse requirement: <nil>: Invalid "
                + "value: \"Example.com/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertBadRequest(() -> LabelSelector.parse("/a"), "unable to parse requirement: <nil>: Invalid value: "
                + "\"/a\": prefix part must be non-empty");
        assertBadRequest(() -> LabelSelector.parse("a/"), "unable to parse requirement: <nil>: Invalid value: "
                + "\"a/\": name part must be non-empty; name part " + QUALIFIED_NAME_RULE);
        assertBadRequest(() -> LabelSelector.parse("x=1,a\"b"), "unable to parse requirement: <nil>: Invalid value: "
                + "\"a\\\"b\": name part " + QUALIFIED_NAME_RULE);
    }

    @Test
    void invalidValues() {
        assertBadRequest(() -> LabelSelector.parse("x=a$b"), "unable to parse requirement: values[0][x]: "
                + "Invalid value: \"a$b\": " + LABEL_VALUE_RULE);
        String longValue = "v".repeat(64);
        assertBadRequest(() -> LabelSelector.parse("x=" + longValue), "unable to parse requirement: values[0][x]: "
                + "Invalid value: \"" + longValue + "\": must be no more than 63 characters");
        assertBadRequest(() -> LabelSelector.parse("x in (a,b$)"), "unable to parse requirement: values[1][x]: "
                + "Invalid value: \"b$\": " + LABEL_VALUE_RULE);
        assertBadRequest(() -> LabelSelector.parse("x>-1"), "unable to parse requirement: values[0][x]: "
                + "Invalid value: \"-1\": " + LABEL_VALUE_RULE);
        assertBadRequest(() -> LabelSelector.parse("x>a$"), "unable to parse requirement: [values[0]: Invalid value: "
                + "\"a$\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "
                + "\"a$\": " + LABEL_VALUE_RULE + "]");
    }

    @Test
    void structuredSelector() {
        LabelSelector selector = LabelSelector.fromLabelSelectorObject(obj("{'matchLabels':{'b':'2','a':'1'},"
                + "'matchExpressions':[{'key':'env','operator':'In','values':['prod','dev']},"
                + "{'key':'gone','operator':'DoesNotExist'},{'key':'tier','operator':'Exists'},"
                + "{'key':'x','operator':'NotIn','values':['y']}]}"));
        assertThat(selector.toString()).isEqualTo("a=1,b=2,env in (dev,prod),!gone,tier,x notin (y)");
        assertThat(selector.matches(obj("{'metadata':{'labels':{'a':'1','b':'2','env':'dev','tier':''}}}"))).isTrue();
        assertThat(selector.matches(obj("{'metadata':{'labels':{'a':'1','b':'2','env':'qa','tier':''}}}"))).isFalse();
        assertThat(selector.matches(obj("{'metadata':{'labels':{'a':'1','b':'2','env':'dev','tier':'',"
                + "'gone':'x'}}}"))).isFalse();
        assertThat(selector.matches(obj("{'metadata':{'labels':{'a':'1','b':'2','env':'dev','tier':'',"
                + "'x':'y'}}}"))).isFalse();
        assertThat(selector.matches(obj("{'metadata':{'labels':{'a':'1','b':'2','env':'dev'}}}"))).isFalse();

        LabelSelector web = LabelSelector.fromLabelSelectorObject(obj("{'matchLabels':{'app':'web'}}"));
        assertThat(web.toString()).isEqualTo("app=web");
        assertThat(web.matches(WEB)).isTrue();
        assertThat(web).isEqualTo(LabelSelector.parse("app=web"));
    }

    @Test
    void structuredNullMatchesNothingAndEmptyEverything() {
        LabelSelector nothing = LabelSelector.fromLabelSelectorObject(null);
        assertThat(nothing.isNothing()).isTrue();
        assertThat(nothing.isEmpty()).isFalse();
        assertThat(nothing.matches(WEB)).isFalse();
        assertThat(nothing.toString()).isEmpty();
        assertThat(LabelSelector.fromLabelSelectorObject(obj("{'selector':null}").get("selector")).isNothing())
                .isTrue();

        LabelSelector everything = LabelSelector.fromLabelSelectorObject(obj("{}"));
        assertThat(everything.isEmpty()).isTrue();
        assertThat(everything.matches(UNLABELLED)).isTrue();
        assertThat(LabelSelector.fromLabelSelectorObject(obj("{'matchLabels':{},'matchExpressions':[]}")).isEmpty())
                .isTrue();
    }

    @Test
    void structuredErrors() {
        assertBadRequest(() -> LabelSelector.fromLabelSelectorObject(obj(
                "{'matchExpressions':[{'key':'a','operator':'Foo'}]}")), "\"Foo\" is not a valid label selector operator");
        assertBadRequest(() -> LabelSelector.fromLabelSelectorObject(obj(
                "{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}")),
                "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
        assertBadRequest(() -> LabelSelector.fromLabelSelectorObject(obj(
                "{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}")),
                "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
        assertBadRequest(() -> LabelSelector.fromLabelSelectorObject(obj("{'matchLabels':{'a b':'c'}}")),
                "key: Invalid value: \"a b\": name part " + QUALIFIED_NAME_RULE);
        assertBadRequest(() -> LabelSelector.fromLabelSelectorObject(obj("{'matchLabels':{'a':'c d'}}")),
                "values[0][a]: Invalid value: \"c d\": " + LABEL_VALUE_RULE);
    }

    @Test
    void structuredValuesKeepDuplicatesButRenderSorted() {
        LabelSelector selector = LabelSelector.fromLabelSelectorObject(obj(
                "{'matchExpressions':[{'key':'a','operator':'In','values':['y','x','y']}]}"));
        assertThat(selector.toString()).isEqualTo("a in (x,y,y)");
    }

    @Test
    void plainMapSelector() {
        assertThat(LabelSelector.matches(Map.of("app", "web"), WEB)).isTrue();
        assertThat(LabelSelector.matches(Map.of("app", "web", "tier", "frontend"), WEB)).isTrue();
        assertThat(LabelSelector.matches(Map.of("app", "db"), WEB)).isFalse();
        assertThat(LabelSelector.matches(Map.of("app", "web"), UNLABELLED)).isFalse();
        assertThat(LabelSelector.matches(Map.of(), UNLABELLED)).isTrue();
        assertThat(LabelSelector.matches(null, WEB)).isTrue();

        Map<String, String> map = new LinkedHashMap<>();
        map.put("tier", "frontend");
        map.put("app", "web");
        LabelSelector selector = LabelSelector.fromMap(map);
        assertThat(selector.toString()).isEqualTo("app=web,tier=frontend");
        assertThat(selector.matches(WEB)).isTrue();
        assertThat(selector.matchesLabels(Map.of("app", "web"))).isFalse();
        assertThat(LabelSelector.fromMap(Map.of()).isEmpty()).isTrue();
    }

    @Test
    void requiredValue() {
        LabelSelector selector = LabelSelector.parse("app=web,x in (a),y in (a,b),z!=c,w==v");
        assertThat(selector.requiredValue("app")).contains("web");
        assertThat(selector.requiredValue("x")).contains("a");
        assertThat(selector.requiredValue("w")).contains("v");
        assertThat(selector.requiredValue("y")).isEmpty();
        assertThat(selector.requiredValue("z")).isEmpty();
        assertThat(selector.requiredValue("missing")).isEmpty();
    }

    @Test
    void requirementsAreExposedSortedByKey() {
        LabelSelector selector = LabelSelector.parse("b notin (y,x),a>3");
        assertThat(selector.requirements()).containsExactly(
                new LabelSelector.Requirement("a", LabelSelector.Operator.GREATER_THAN, java.util.List.of("3")),
                new LabelSelector.Requirement("b", LabelSelector.Operator.NOT_IN, java.util.List.of("x", "y")));
    }
}
