package weft.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** The bootstrap admin block (api v3 config.bootstrap.v3.Admin). */
class AdminConfigTest {
  private final ConfigProblems problems = new ConfigProblems();

  private static Admin admin(String host, int port) {
    return Admin.newBuilder()
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)))
        .build();
  }

  @Test
  void socketAddressBecomesTheBindAddress() {
    AdminConfig c = AdminConfig.compile(admin("0.0.0.0", 9901), ConfigPath.of("admin"), problems);
    assertThat(problems.list()).isEmpty();
    assertThat(c.address()).isEqualTo(new InetSocketAddress("0.0.0.0", 9901));
  }

  @Test
  void noAddressMeansNoAdminListener() {
    assertThat(
            AdminConfig.compile(Admin.getDefaultInstance(), ConfigPath.of("admin"), problems)
                .address())
        .isNull();
    assertThat(problems.list()).isEmpty();
  }

  @Test
  void adminAccessLogsAndHostNamesAreRefusedByPath() {
    Admin a =
        admin("localhost", 9901).toBuilder()
            .addAccessLog(AccessLog.newBuilder().setName("x"))
            .build();
    AdminConfig.compile(a, ConfigPath.of("admin"), problems);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly(
            "admin.access_log: field is not supported by weft",
            "admin.address.socket_address.address: admin address localhost is not an IP literal");
  }
}
