package weft.proxy.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher.Builder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** route_components.proto HeaderMatcher, as Envoy's HeaderUtility::matchHeaders evaluates it. */
class HeaderMatcherTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static HeaderMatcher compile(String yaml) throws Exception {
    Builder b = io.envoyproxy.envoy.config.route.v3.HeaderMatcher.newBuilder();
    JsonFormat.parser().merge(new ObjectMapper().writeValueAsString(YAML.readTree(yaml)), b);
    ConfigProblems problems = new ConfigProblems();
    HeaderMatcher m = HeaderMatcher.compile(b.build(), ConfigPath.of("m"), problems);
    assertThat(problems.list()).isEmpty();
    return m;
  }

  /** A request with header x-h set to {@code value} ("<absent>" for none; "a|b" for two values). */
  static HeaderSource request(String value) {
    HttpHeaders h = new DefaultHttpHeaders();
    if (!value.equals("<absent>")) {
      for (String v : value.split("\\|", -1)) {
        h.add("x-h", v);
      }
    }
    return name -> HeaderSource.resolve(name, "GET", "a.test", "/p?q", "https", h);
  }

  @ParameterizedTest(name = "{0}: {1} on {2} -> {3}")
  @CsvSource(delimiter = ';', value = {
    "exact string_match; {name: x-h, string_match: {exact: v}}; v; true",
    "exact string_match differs; {name: x-h, string_match: {exact: v}}; w; false",
    "header name is case-insensitive; {name: X-H, string_match: {exact: v}}; v; true",
    "ignore_case; {name: x-h, string_match: {exact: V, ignore_case: true}}; v; true",
    "prefix; {name: x-h, string_match: {prefix: ab}}; abc; true",
    "suffix; {name: x-h, string_match: {suffix: bc}}; abc; true",
    "contains; {name: x-h, string_match: {contains: b}}; abc; true",
    "contains ignore_case; {name: x-h, string_match: {contains: BC, ignore_case: true}}; abc; true",
    "contains longer than the value; {name: x-h, string_match: {contains: abcd}}; abc; false",
    "safe_regex matches the whole value; {name: x-h, string_match: {safe_regex: {regex: 'a.c'}}}; abc; true",
    "safe_regex partial is no match; {name: x-h, string_match: {safe_regex: {regex: 'a.'}}}; abc; false",
    "multiple values are joined with a comma; {name: x-h, string_match: {exact: 'a,b'}}; a|b; true",
    "a missing header fails a value match; {name: x-h, string_match: {exact: ''}}; <absent>; false",
    "invert_match does not match a missing header; {name: x-h, string_match: {exact: v}, invert_match: true}; <absent>; false",
    "invert_match inverts a present value; {name: x-h, string_match: {exact: v}, invert_match: true}; w; true",
    "treat_missing_header_as_empty matches empty; {name: x-h, string_match: {exact: ''}, treat_missing_header_as_empty: true}; <absent>; true",
    "present_match true; {name: x-h, present_match: true}; anything; true",
    "present_match true, missing; {name: x-h, present_match: true}; <absent>; false",
    "present_match false, missing; {name: x-h, present_match: false}; <absent>; true",
    "present_match false, present; {name: x-h, present_match: false}; v; false",
    "inverted present_match true, missing; {name: x-h, present_match: true, invert_match: true}; <absent>; true",
    "no specifier means present; {name: x-h}; ''; true",
    "no specifier, missing; {name: x-h}; <absent>; false",
    "range start inclusive; {name: x-h, range_match: {start: 1, end: 11}}; 1; true",
    "range end exclusive; {name: x-h, range_match: {start: 1, end: 11}}; 11; false",
    "range negative; {name: x-h, range_match: {start: -10, end: 0}}; -5; true",
    "range needs an integer; {name: x-h, range_match: {start: 1, end: 11}}; 5a; false",
    "range allows a sign; {name: x-h, range_match: {start: 1, end: 11}}; +5; true",
    "range rejects a lone sign; {name: x-h, range_match: {start: -1, end: 11}}; -; false",
    "range rejects overflow; {name: x-h, range_match: {start: 0, end: 9223372036854775807}}; 9223372036854775808; false",
    "range accepts the minimum; {name: x-h, range_match: {start: -9223372036854775808, end: 0}}; -9223372036854775808; true",
    "legacy exact_match; {name: x-h, exact_match: v}; v; true",
    "legacy safe_regex_match; {name: x-h, safe_regex_match: {regex: '[0-9]+'}}; 42; true",
    ":authority pseudo-header; {name: ':authority', string_match: {exact: a.test}}; <absent>; true",
    ":path pseudo-header includes the query; {name: ':path', string_match: {exact: '/p?q'}}; <absent>; true",
    ":scheme pseudo-header; {name: ':scheme', string_match: {exact: https}}; <absent>; true",
  })
  void headerMatching(String rule, String yaml, String value, boolean expected) throws Exception {
    assertThat(compile(yaml).matches(request(value))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
    "{name: ''}; m.name: must not be empty",
    "{name: x, range_match: {start: 5, end: 5}}; m.range_match: end 5 must be greater than start 5",
    "{name: x, string_match: {prefix: ''}}; m.string_match.prefix: must not be empty",
  })
  void invalidMatchersAreRejectedWithTheirPath(String yaml, String problem) throws Exception {
    Builder b = io.envoyproxy.envoy.config.route.v3.HeaderMatcher.newBuilder();
    JsonFormat.parser().merge(new ObjectMapper().writeValueAsString(YAML.readValue(yaml, Map.class)), b);
    ConfigProblems problems = new ConfigProblems();
    assertThat(HeaderMatcher.compile(b.build(), ConfigPath.of("m"), problems)).isNull();
    assertThat(problems.list()).extracting(Object::toString).containsExactly(problem);
  }

  @org.junit.jupiter.api.Test
  void rangeParsingToleratesSurroundingWhitespaceLikeSimpleAtoi() {
    assertThat(HeaderMatcher.inRange(" 7\t", 1, 11)).isTrue();
    assertThat(HeaderMatcher.inRange("7 7", 1, 100)).isFalse();
  }
}
