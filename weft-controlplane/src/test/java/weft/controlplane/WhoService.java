package weft.controlplane;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The gRPC backend the xDS interop tests route to: one unary method, {@code weft.test.Echo/Who}, that
 * answers the backend's name in raw bytes, so a client can tell which backend a call reached.
 */
public final class WhoService {
  public static final MethodDescriptor<byte[], byte[]> WHO = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("weft.test.Echo/Who")
      .setRequestMarshaller(new Bytes())
      .setResponseMarshaller(new Bytes())
      .build();

  private WhoService() {}

  /** A started server on {@code address}, port 0, answering {@code name}. */
  public static Server start(String address, String name) throws IOException {
    byte[] answer = name.getBytes(StandardCharsets.UTF_8);
    ServerServiceDefinition who = ServerServiceDefinition.builder("weft.test.Echo")
        .addMethod(WHO, ServerCalls.asyncUnaryCall((req, out) -> {
          out.onNext(answer);
          out.onCompleted();
        }))
        .build();
    return NettyServerBuilder.forAddress(new InetSocketAddress(address, 0)).addService(who).build().start();
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
