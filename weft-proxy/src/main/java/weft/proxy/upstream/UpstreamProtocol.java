package weft.proxy.upstream;

/** The protocol spoken to a cluster's hosts. */
public enum UpstreamProtocol {
  HTTP1,
  HTTP2
}
