package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy's workers use epoll on Linux: DNS (datagram) and health checks (socket) must pick the
 * epoll channel classes there. The epoll classes are only on the runtime classpath, hence the
 * lookup by name.
 */
@Timeout(20)
class EpollTransportTest {

  private static EventLoopGroup epollGroup() throws Exception {
    Class<?> handler;
    try {
      handler = Class.forName("io.netty.channel.epoll.EpollIoHandler");
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      Assumptions.assumeTrue((Boolean) epoll.getMethod("isAvailable").invoke(null), "epoll not available");
    } catch (ClassNotFoundException e) {
      Assumptions.abort("epoll classes not on the classpath");
      throw e;
    }
    return new MultiThreadIoEventLoopGroup(1, (IoHandlerFactory) handler.getMethod("newFactory").invoke(null));
  }

  @Test
  void strictDnsAndHealthChecksRunOnEpollLoops() throws Exception {
    EventLoopGroup group = epollGroup();
    try (TestBackend server = TestBackend.http()) {
      String json =
          "{\"name\":\"dns\",\"type\":\"STRICT_DNS\",\"dns_lookup_family\":\"V4_ONLY\","
              + "\"health_checks\":[{\"interval\":\"0.05s\",\"timeout\":\"1s\",\"unhealthy_threshold\":1,"
              + "\"healthy_threshold\":1,\"http_health_check\":{\"path\":\"/\"}}],"
              + "\"load_assignment\":{\"cluster_name\":\"dns\",\"endpoints\":[{\"lb_endpoints\":[{\"endpoint\":"
              + "{\"address\":{\"socket_address\":{\"address\":\"localhost\",\"port_value\":"
              + server.port() + "}}}}]}]}}";
      try (var b = ClusterFixtures.build(group, Ticker.system(), json)) {
        assertThat(SocketTypes.socket(group.next()).getSimpleName()).isEqualTo("EpollSocketChannel");
        b.manager().start().get(10, TimeUnit.SECONDS);
        Host h = b.cluster("dns").hosts().get(0);
        assertThat(h.addressString()).isEqualTo("127.0.0.1:" + server.port());
        await().until(h::healthy);
      }
    }
  }
}
