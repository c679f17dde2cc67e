package weft.proxy.tls;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Unpacks a {@code config.core.v3.TransportSocket}: {@code envoy.transport_sockets.tls} (selected,
 * as in Envoy, by its typed_config type, or by name when typed_config is absent) or
 * {@code envoy.transport_sockets.raw_buffer} (plaintext). Anything else is unsupported.
 */
final class TransportSockets {
  static final String TLS = "envoy.transport_sockets.tls";
  static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
  private static final String RAW_BUFFER_TYPE =
      "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

  private TransportSockets() {}

  /**
   * The TLS context of {@code type}; null for plaintext (raw_buffer) and, after recording a
   * problem, for anything unusable.
   */
  static <T extends Message> T unpack(
      TransportSocket ts, Class<T> type, T defaultInstance, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(ts, path, problems, "name", "typed_config");
    if (!ts.hasTypedConfig()) {
      return switch (ts.getName()) {
        case TLS -> defaultInstance;
        case RAW_BUFFER -> null;
        default -> {
          problems.unsupported(path.field("name"), "transport socket \"" + ts.getName() + "\"");
          yield null;
        }
      };
    }
    Any any = ts.getTypedConfig();
    if (any.getTypeUrl().equals(RAW_BUFFER_TYPE)) {
      return null;
    }
    if (!any.is(type)) {
      problems.add(path.field("typed_config"), "transport socket \"" + ts.getName() + "\" of type "
          + any.getTypeUrl() + " is not supported (expected: " + TLS + " with "
          + defaultInstance.getDescriptorForType().getFullName() + ", or " + RAW_BUFFER + ")");
      return null;
    }
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      problems.add(path.field("typed_config"), "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
      return null;
    }
  }
}
