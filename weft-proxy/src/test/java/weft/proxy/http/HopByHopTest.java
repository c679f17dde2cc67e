package weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §7.6.1 connection-specific fields, as the connection manager strips them per hop. */
class HopByHopTest {
  private static HttpHeaders headers(String... nameValues) {
    HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @ParameterizedTest(name = "connection: {0}")
  @CsvSource({
    "keep-alive, false",
    "Keep-Alive, false",
    "'close, x-secret', true",
    "x-secret, true",
    "'keep-alive,x-secret', true",
  })
  void removesTheConnectionFieldAndEveryHeaderItNames(String connection, boolean secretRemoved) {
    HttpHeaders h = headers("connection", connection, "keep-alive", "timeout=5",
        "x-secret", "1", "host", "a", "content-length", "0", "x-keep", "2");
    HopByHop.strip(h, false);
    assertThat(h.contains("connection")).isFalse();
    assertThat(h.contains("keep-alive")).isFalse();
    assertThat(h.contains("x-secret")).isEqualTo(!secretRemoved);
    assertThat(h.get("x-keep")).isEqualTo("2");
  }

  @Test
  void readsEveryConnectionFieldLineNotOnlyTheFirst() {
    HttpHeaders h = headers("connection", "keep-alive", "connection", "x-secret", "x-secret", "1");
    HopByHop.strip(h, false);
    assertThat(h.contains("x-secret")).isFalse();
  }

  @Test
  void neverRemovesHostOrContentLengthThroughConnectionTokens() {
    HttpHeaders h = headers("connection", "host, content-length", "host", "a",
        "content-length", "3");
    HopByHop.strip(h, false);
    assertThat(h.get("host")).isEqualTo("a");
    assertThat(h.get("content-length")).isEqualTo("3");
  }

  @Test
  void keepsUpgradeOnlyForAnAcceptedUpgradeAndTeOnlyAsTrailers() {
    HttpHeaders up = headers("connection", "Upgrade", "upgrade", "websocket", "te", "gzip, trailers",
        "proxy-connection", "keep-alive", "transfer-encoding", "chunked");
    HopByHop.strip(up, true);
    assertThat(up.get("upgrade")).isEqualTo("websocket");
    assertThat(up.get("connection")).isEqualTo("upgrade");
    assertThat(up.get("te")).isEqualTo("trailers");
    assertThat(up.contains("proxy-connection")).isFalse();
    assertThat(up.contains("transfer-encoding")).isFalse();

    HttpHeaders plain = headers("upgrade", "websocket", "te", "gzip");
    HopByHop.strip(plain, false);
    assertThat(plain.contains("upgrade")).isFalse();
    assertThat(plain.contains("te")).isFalse();
  }

  @Test
  void requestIdsAreVersion4Uuids() {
    for (int i = 0; i < 100; i++) {
      String id = RequestHeaderRules.newRequestId().toString();
      UUID u = UUID.fromString(id);
      assertThat(u.version()).isEqualTo(4);
      assertThat(u.variant()).isEqualTo(2);
      assertThat(u.toString()).isEqualTo(id);
    }
  }
}
