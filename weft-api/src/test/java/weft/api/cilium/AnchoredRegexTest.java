package weft.api.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnchoredRegexTest {

  // Cilium "Layer 7 Examples": path is an extended POSIX regex matched against the whole path.
  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "/jobs/[0-9]+, /jobs/331, true",
    "/jobs/[0-9]+, /jobs/331/delete, false",
    "/jobs/[0-9]+, /x/jobs/1, false",
    "GET|HEAD, HEAD, true",
    "GET|HEAD, GETS, false",
    "/public/.*, /public/a/b, true",
  })
  void matchesTheWholeValue(String regex, String value, boolean expected) {
    assertThat(AnchoredRegex.compile(regex).matches(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"/jobs/[0-9]+", "GET"})
  void equalityIsBySource(String regex) {
    assertThat(AnchoredRegex.compile(regex)).isEqualTo(AnchoredRegex.compile(regex));
  }
}
