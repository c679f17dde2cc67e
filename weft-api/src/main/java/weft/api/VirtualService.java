package weft.api;

import java.util.List;
import java.util.Objects;
import weft.api.meta.ObjectMeta;
import weft.api.traffic.HttpRoute;

/**
 * Istio's {@code networking.istio.io/v1} (or v1beta1) VirtualService, the subset weft implements:
 * HTTP routes for mesh-internal hosts. {@code gateways} other than {@code mesh}, {@code tcp}, {@code
 * tls}, {@code exportTo} and delegation are refused at decode time.
 *
 * @param metadata name and namespace (short hosts resolve against this namespace)
 * @param hosts the hosts the routes apply to, as written ({@code reviews}, {@code
 *     reviews.prod.svc.cluster.local})
 * @param http the HTTP routes, first match wins
 */
public record VirtualService(ObjectMeta metadata, List<String> hosts, List<HttpRoute> http)
    implements Resource {
  public VirtualService {
    Objects.requireNonNull(metadata, "metadata");
    hosts = List.copyOf(hosts);
    http = List.copyOf(http);
  }

  @Override
  public Kind kind() {
    return Kind.VIRTUAL_SERVICE;
  }
}
