package weft.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import weft.api.meta.LabelRequirement.Operator;

class LabelSelectorTest {
  private static final Map<String, String> POD = Map.of("app", "jobs", "tier", "api");

  @Test
  void emptySelectorSelectsEverything() {
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
  }

  @Test
  void matchLabelsAndExpressionsAreAnded() {
    var selector =
        new LabelSelector(
            Map.of("app", "jobs"), List.of(new LabelRequirement("tier", Operator.IN, List.of("web"))));
    assertThat(selector.matches(POD)).isFalse();
    assertThat(selector.matches(Map.of("app", "jobs", "tier", "web"))).isTrue();
  }

  @Test
  void notInAndDoesNotExistMatchAPodWithoutTheKey() {
    // Kubernetes "Resources that support set-based requirements": NotIn also selects absent keys.
    assertThat(new LabelRequirement("env", Operator.NOT_IN, List.of("prod")).matches(POD)).isTrue();
    assertThat(new LabelRequirement("env", Operator.DOES_NOT_EXIST, List.of()).matches(POD)).isTrue();
    assertThat(new LabelRequirement("env", Operator.EXISTS, List.of()).matches(POD)).isFalse();
  }

  @Test
  void selectorsWithEqualContentAreEqual() {
    assertThat(LabelSelector.matchLabels(Map.of("b", "2", "a", "1")))
        .isEqualTo(LabelSelector.matchLabels(Map.of("a", "1", "b", "2")));
  }
}
