package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML 1.1 scalars, as Jackson (and Kubernetes' go-yaml) read them: unquoted yes/on/010 are not
 * strings. Refused like Kubernetes refuses them, with a hint to quote.
 */
class YamlScalarTest {
  @ParameterizedTest(name = "{0} reads as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yes | true (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)",
        "off | false (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)",
        "010 | 8 (quote it: YAML reads unquoted numbers as numbers)",
        "'1.0' | 1.0 (quote it: YAML reads unquoted numbers as numbers)",
      })
  void unquotedNonStringLabelValuesAreRefusedWithAQuotingHint(String written, String message) {
    String yaml =
        "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, labels: {v: "
            + written.replace("'", "") + "}}\n";
    assertThat(Docs.errors(yaml))
        .containsExactly("test.yaml[0]: Workload default/w: metadata.labels.v: expected a string, got " + message);
  }

  @ParameterizedTest
  @CsvSource({"'\"yes\"', yes", "'\"010\"', 010"})
  void quotedValuesStayStrings(String written, String value) {
    var w =
        Docs.single(
            "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w, labels: {v: " + written + "}}\n",
            weft.api.Workload.class);
    assertThat(w.metadata().labels().get("v")).isEqualTo(value);
  }
}
