package weft.proxy.cluster;

/**
 * The background work of one cluster, all on its control event loop: DNS refresh for STRICT_DNS,
 * active health checks, and the outlier-detection interval timer.
 */
record ClusterRuntime(UpstreamCluster cluster) {
  void start() {
    cluster.controlLoop().execute(cluster::start);
  }

  void close() {
    cluster.controlLoop().execute(cluster::close);
  }
}
