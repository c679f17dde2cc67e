package weft.api.meta;

/**
 * An L4 protocol as written in policies and ports. {@link #ANY} exists only in Cilium's {@code
 * toPorts}; Kubernetes kinds reject it at decode time.
 */
public enum Protocol {
  TCP,
  UDP,
  SCTP,
  ANY
}
