package weft.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigPathTest {
  @Test
  void rendersFieldsIndexesAndKeysTheWayUsersReadThem() {
    ConfigPath p = ConfigPath.of("static_resources").field("clusters").index(2).field("lb_policy");
    assertThat(p).hasToString("static_resources.clusters[2].lb_policy");
    assertThat(ConfigPath.of("c").field("typed_extension_protocol_options").key("envoy.x"))
        .hasToString("c.typed_extension_protocol_options[\"envoy.x\"]");
  }

  @Test
  void problemsAreAllReportedTogetherEachWithItsPath() {
    ConfigProblems problems = new ConfigProblems();
    problems.unsupported(ConfigPath.of("clusters").index(2).field("lb_policy"), "CLUSTER_PROVIDED");
    problems.add(ConfigPath.of("listeners").index(0).field("address"), "missing");
    assertThatThrownBy(() -> problems.throwIfAny("invalid bootstrap"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("clusters[2].lb_policy: CLUSTER_PROVIDED is not supported")
        .hasMessageContaining("listeners[0].address: missing");
  }
}
