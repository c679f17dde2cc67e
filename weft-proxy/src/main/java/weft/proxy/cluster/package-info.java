/**
 * Upstream clusters: membership (STATIC, STRICT_DNS), priorities and localities, load balancers,
 * circuit breakers, outlier detection, active health checks, per-cluster stats and the admin
 * {@code /clusters} text. Envoy's cluster.proto and arch_overview/upstream docs are the spec.
 *
 * <h2>API for the proxy core</h2>
 *
 * <pre>{@code
 * ClusterContext ctx = new ClusterContext(workerGroup, statsStore, Ticker.system(), upstreamTls);
 * ClusterManager clusters = ClusterManager.create(
 *     bootstrap.getStaticResources().getClustersList(),
 *     ConfigPath.of("static_resources").field("clusters"), problems, ctx);
 * problems.throwIfAny("invalid bootstrap");
 * clusters.start();          // DNS, health checks, outlier timers; returns a future that
 *                             // completes when clusters are warm (first DNS + first checks)
 * String text = clusters.dumpClusters();          // admin /clusters
 * Clusters json = clusters.clustersStatus();      // admin /clusters?format=json (JsonFormat)
 * clusters.close();                               // on shutdown
 * }</pre>
 *
 * Per upstream attempt (any event loop, lock-free):
 *
 * <pre>{@code
 * UpstreamCluster c = clusters.get(routeClusterName);     // null: 503 "no cluster" (router's call)
 * Host host = c.choose(lbContext);                         // null: 503 "no healthy upstream"
 * CircuitBreakers cb = c.circuitBreakers();
 * if (!cb.tryAcquireRequest()) -> 503 + x-envoy-overloaded; else cb.releaseRequest() when done
 * pending (waiting for a connection): tryAcquirePendingRequest()/releasePendingRequest()
 * new connection: tryAcquireConnection()/releaseConnection(); retries: tryAcquireRetry()/releaseRetry()
 * connect: c.connectTimeout(), c.transport() (null = plaintext; else newHandler(alloc, host, port)),
 *          c.protocol() (HTTP1/HTTP2, max_concurrent_streams, idle_timeout)
 * per-host stats: host.connectionOpened()/connectionClosed()/connectFailed(),
 *                 host.requestStarted()/requestFinished(success)/requestTimedOut()
 * cluster stats:  c.stats().upstreamRqTotal().inc(); c.stats().recordResponse(status, millis); ...
 * outlier:        c.reportResponse(host, status) | reportConnectFailure(host) | reportTimeout(host)
 *                 | reportReset(host)
 * }</pre>
 *
 * <h2>Files</h2>
 *
 * <ul>
 *   <li>config: {@code ClusterConfig} (cluster.proto), {@code Endpoints} (load_assignment), {@code
 *       LbPolicies}/{@code TypedLbPolicies}, {@code UpstreamProtocol}, {@code HealthCheckSpec},
 *       {@code OutlierDetector.Config}
 *   <li>runtime: {@code ClusterManager}, {@code UpstreamCluster}, {@code Host}, {@code
 *       HostSnapshot} (priorities, localities), {@code PriorityLoad}, {@code CircuitBreakers},
 *       {@code ClusterStats}, {@code ClustersDump}
 *   <li>balancers: {@code RoundRobinPicker} ({@code WeightedSequence}, {@code StripedCursor}),
 *       {@code LeastRequestPicker}, {@code RandomPicker}, {@code RingHashPicker}, {@code
 *       MaglevPicker}, {@code XxHash64}
 *   <li>background: {@code HealthChecker} + {@code HealthProbes}, {@code OutlierDetector}, {@code
 *       DnsRefresher}, {@code SocketTypes}
 * </ul>
 *
 * <h2>Bootstrap parsing</h2>
 *
 * The bootstrap's JSON type registry must know the {@code @type}s clusters may carry: {@code
 * envoy.extensions.upstreams.http.v3.HttpProtocolOptions}, the TLS transport socket, and for {@code
 * load_balancing_policy} the {@code envoy.extensions.load_balancing_policies.{round_robin,
 * least_request,random,ring_hash,maglev}.v3} messages (plus any others a config lists as
 * fallbacks, e.g. {@code pick_first}, so that it parses and is skipped).
 *
 * <h2>Threading</h2>
 *
 * Each cluster has a control event loop (one of the workers). Health checks, DNS refresh and
 * outlier ejections run there and publish a new immutable {@code HostSnapshot} through a volatile
 * field; {@code choose} reads it without locks. Counters are {@code LongAdder}/atomics.
 */
package weft.proxy.cluster;
