package weft.controlplane;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import weft.proxy.xds.Backoff;
import weft.proxy.xds.WorkloadIdentity;
import weft.proxy.xds.XdsTls;

/** Workload certificates from a running control plane, obtained as a proxy does, and TLS channels. */
public final class WorkloadCerts {
  private WorkloadCerts() {}

  /** {@code ns/name}'s certificate: its bootstrap token and a CSR to {@code POST /api/v1/certificates}. */
  public static WorkloadIdentity.Issued issue(ControlPlane cp, String workload) throws Exception {
    String token = Files.readString(cp.tokenFile(workload)).strip();
    AtomicReference<WorkloadIdentity.Issued> got = new AtomicReference<>();
    try (WorkloadIdentity id = new WorkloadIdentity("127.0.0.1:" + cp.apiPort(), token, s -> {},
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)))) {
      id.onIssued(got::set);
      id.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> got.get() != null);
    }
    return got.get();
  }

  /** A channel to the control plane's mTLS xDS port presenting {@code cert}, verifying the control plane. */
  public static ManagedChannel channel(ControlPlane cp, WorkloadIdentity.Issued cert) {
    XdsTls tls = new XdsTls();
    tls.update(cert);
    return NettyChannelBuilder.forAddress("127.0.0.1", cp.xdsPort()).sslContext(tls.sslContext()).build();
  }
}
