package weft.proxy.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** route_components.proto QueryParameterMatcher, with Envoy's first-value, no-decoding rules. */
class QueryParameterMatcherTest {

  private static QueryParameterMatcher exact(String name, String value) {
    var m = io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher.newBuilder().setName(name)
        .setStringMatch(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact(value)).build();
    return QueryParameterMatcher.compile(m, ConfigPath.of("q"), new ConfigProblems());
  }

  private static QueryParameterMatcher present(String name, boolean present) {
    var m = io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher.newBuilder().setName(name)
        .setPresentMatch(present).build();
    return QueryParameterMatcher.compile(m, ConfigPath.of("q"), new ConfigProblems());
  }

  @ParameterizedTest(name = "{0}: debug=1 on {1} -> {2}")
  @CsvSource({
    "value matches, /p?debug=1, true",
    "among others, /p?a=2&debug=1&b, true",
    "first value counts, /p?debug=2&debug=1, false",
    "no query, /p, false",
    "values are not decoded, /p?debug=%31, false",
    "key must match exactly, /p?xdebug=1, false",
    "a fragment ends the query, /p?a#debug=1, false",
  })
  void stringMatch(String rule, String path, boolean expected) {
    assertThat(exact("debug", "1").matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "present_match {1} on {0} -> {2}")
  @CsvSource({
    "/p?debug, true, true",
    "/p?debug=, true, true",
    "/p?other, true, false",
    "/p?other, false, true",
    "/p?debug=1, false, false",
  })
  void presentMatch(String path, boolean present, boolean expected) {
    assertThat(present("debug", present).matches(path)).isEqualTo(expected);
  }
}
