/**
 * Envoy's HTTP fault injection as pure logic: {@code FaultFilterConfig} (compiled {@code
 * HTTPFault}) decides a {@code FaultDecision} per request; the connection manager applies the delay
 * (an event-loop timer) and the abort (a local reply).
 */
package weft.proxy.filter.fault;
