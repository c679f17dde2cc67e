package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-written ADS client: one SotW or delta stream, responses queued in arrival order. */
final class AdsTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final Node node;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;

  AdsTestClient(int port, String nodeId) {
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    this.node = Node.newBuilder().setId(nodeId).build();
  }

  void sotw(DiscoveryRequest.Builder request) {
    if (sotw == null) {
      sotw = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(collector());
    }
    sotw.onNext(request.setNode(node).build());
  }

  /** Like Envoy's set_node_on_first_message_only: no node after the stream's first request. */
  void sotwWithoutNode(DiscoveryRequest.Builder request) {
    sotw.onNext(request.build());
  }

  void delta(DeltaDiscoveryRequest.Builder request) {
    if (delta == null) {
      delta = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(collector());
    }
    delta.onNext(request.setNode(node).build());
  }

  DiscoveryResponse next() throws InterruptedException {
    Object o = received.poll(10, TimeUnit.SECONDS);
    assertThat(o).as("a response within 10 s").isInstanceOf(DiscoveryResponse.class);
    return (DiscoveryResponse) o;
  }

  DeltaDiscoveryResponse nextDelta() throws InterruptedException {
    Object o = received.poll(10, TimeUnit.SECONDS);
    assertThat(o).as("a delta response within 10 s").isInstanceOf(DeltaDiscoveryResponse.class);
    return (DeltaDiscoveryResponse) o;
  }

  /** Ends the streams the way a proxy shutting down does. */
  void disconnect() {
    if (sotw != null) {
      sotw.onCompleted();
    }
    if (delta != null) {
      delta.onCompleted();
    }
  }

  private <T> StreamObserver<T> collector() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        received.add(value);
      }

      @Override
      public void onError(Throwable t) {
        received.add(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
