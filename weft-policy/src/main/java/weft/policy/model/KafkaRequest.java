package weft.policy.model;

import java.util.Optional;
import java.util.OptionalInt;

/** The Kafka request of a flow: API key (numeric), version, client id and topic. */
public record KafkaRequest(
    int apiKey, OptionalInt apiVersion, Optional<String> clientId, Optional<String> topic) {}
