package weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.xds.type.matcher.v3.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** The RBAC matcher form (xds matcher.proto, rbac_filter docs "matcher"). */
class RbacMatcherFormTest {

  private static RbacEngine engine(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    RbacEngine e = RbacEngine.compileMatcher(RbacYaml.parse(yaml, Matcher.newBuilder()), ConfigPath.of("matcher"), problems);
    assertThat(problems.list()).isEmpty();
    return e;
  }

  private static final String ACTION = "{name: action, typed_config: {'@type': type.googleapis.com/envoy.config.rbac.v3.Action, name: %s, action: %s}}";

  /** Deny unless header x-origin matches a regex; allow otherwise (a not_matcher list with on_no_match). */
  private static final RbacEngine ORIGIN = engine("""
      matcher_list:
        matchers:
        - predicate:
            not_matcher:
              single_predicate:
                input: {name: h, typed_config: {'@type': type.googleapis.com/envoy.type.matcher.v3.HttpRequestHeaderMatchInput, header_name: X-Origin}}
                value_match: {safe_regex: {google_re2: {}, regex: 'https://(www\\.)?weft\\.test/.*'}}
          on_match: {action: %s}
      on_no_match: {action: %s}
      """.formatted(ACTION.formatted("bad-origin", "DENY"), ACTION.formatted("ok", "ALLOW")));

  @ParameterizedTest(name = "x-origin {0} -> allowed {1} by {2}")
  @CsvSource({
    "https://weft.test/a, true, ok",
    "https://www.weft.test/, true, ok",
    "https://evil.test/, false, bad-origin",
    "<none>, false, bad-origin", // an absent header fails value_match, so the not_matcher holds
  })
  void notMatcherWithOnNoMatch(String origin, boolean allowed, String policy) {
    TestRbacRequest r = TestRbacRequest.get("/");
    if (!origin.equals("<none>")) {
      r.header("x-origin", origin);
    }
    assertThat(ORIGIN.evaluate(r)).isEqualTo(new RbacDecision(allowed, policy, false));
  }

  @Test
  void noMatchAndNoOnNoMatchDenies() {
    RbacEngine e = engine("""
        matcher_list:
          matchers:
          - predicate:
              single_predicate:
                input: {name: h, typed_config: {'@type': type.googleapis.com/envoy.type.matcher.v3.HttpRequestHeaderMatchInput, header_name: x-a}}
                value_match: {exact: '1'}
            on_match: {action: %s}
        """.formatted(ACTION.formatted("log-a", "LOG")));
    assertThat(e.evaluate(TestRbacRequest.get("/").header("x-a", "1"))).isEqualTo(new RbacDecision(true, "log-a", true));
    assertThat(e.evaluate(TestRbacRequest.get("/"))).isEqualTo(new RbacDecision(false, "", false));
  }

  @Test
  void andOrPredicatesAndNestedMatchers() {
    RbacEngine e = engine("""
        matcher_list:
          matchers:
          - predicate:
              and_matcher:
                predicate:
                - single_predicate:
                    input: {name: p, typed_config: {'@type': type.googleapis.com/envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput}}
                    value_match: {exact: '8080'}
                - or_matcher:
                    predicate:
                    - single_predicate:
                        input: {name: h, typed_config: {'@type': type.googleapis.com/envoy.type.matcher.v3.HttpRequestHeaderMatchInput, header_name: ':method'}}
                        value_match: {exact: GET}
                    - single_predicate:
                        input: {name: h, typed_config: {'@type': type.googleapis.com/envoy.type.matcher.v3.HttpRequestHeaderMatchInput, header_name: ':method'}}
                        value_match: {exact: HEAD}
            on_match:
              matcher:
                matcher_tree:
                  input: {name: san, typed_config: {'@type': type.googleapis.com/envoy.extensions.matching.common_inputs.ssl.v3.UriSanInput}}
                  exact_match_map:
                    map:
                      'spiffe://weft/sa/reader': {action: %s}
        on_no_match: {action: %s}
        """.formatted(ACTION.formatted("reader", "ALLOW"), ACTION.formatted("fallback", "ALLOW")));
    TestRbacRequest reader = TestRbacRequest.get("/").peer(List.of("spiffe://weft/sa/reader"), List.of(), "");
    TestRbacRequest other = TestRbacRequest.get("/").peer(List.of("spiffe://weft/sa/other"), List.of(), "");
    assertThat(e.evaluate(reader)).isEqualTo(new RbacDecision(true, "reader", false));
    // the predicate held but the nested matcher did not match: the whole match fails (deny),
    // on_no_match of the outer matcher is not used
    assertThat(e.evaluate(other).allowed()).isFalse();
    assertThat(e.evaluate(reader.method("POST"))).isEqualTo(new RbacDecision(true, "fallback", false));
  }

  @Test
  void unsupportedInputsAreRejected() {
    ConfigProblems problems = new ConfigProblems();
    Matcher m = RbacYaml.parse("""
        matcher_list:
          matchers:
          - predicate:
              single_predicate:
                input: {name: x, typed_config: {'@type': type.googleapis.com/envoy.config.rbac.v3.Action}}
                value_match: {exact: a}
            on_match: {action: %s}
        """.formatted(ACTION.formatted("a", "ALLOW")), Matcher.newBuilder());
    assertThat(RbacEngine.compileMatcher(m, ConfigPath.of("matcher"), problems)).isNull();
    assertThat(problems.list()).extracting(Object::toString).containsExactly(
        "matcher.matcher_list.matchers[0].predicate.single_predicate.input.typed_config:"
            + " matching input type.googleapis.com/envoy.config.rbac.v3.Action is not supported");
  }
}
