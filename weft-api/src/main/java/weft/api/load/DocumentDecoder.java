package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import weft.api.Kind;
import weft.api.Resource;
import weft.api.ResourceKey;
import weft.api.meta.ObjectMeta;

/**
 * Decodes one document (or each item of a {@code kind: List}) into a resource, reporting every
 * problem with the resource's kind, namespace/name and field path. Stage: bind.
 */
final class DocumentDecoder {
  private final Consumer<Loaded> resources;
  private final Consumer<LoadError> errors;
  private final Consumer<ResourceKey> rejected;

  DocumentDecoder(Consumer<Loaded> resources, Consumer<LoadError> errors, Consumer<ResourceKey> rejected) {
    this.resources = resources;
    this.errors = errors;
    this.rejected = rejected;
  }

  void decode(JsonNode node, SourceRef source) {
    Problems problems = new Problems();
    Optional<Obj> doc = Obj.of(node, FieldPath.ROOT, problems);
    if (doc.isEmpty()) {
      report(source, "", problems);
      return;
    }
    Obj d = doc.get();
    Optional<String> apiVersion = d.requiredString("apiVersion");
    Optional<String> kindName = d.requiredString("kind");
    if (apiVersion.isEmpty() || kindName.isEmpty()) {
      report(source, "", problems);
      return;
    }
    if (kindName.get().equals("List")) {
      List<JsonNode> items = d.list("items", (v, at) -> Optional.of(v));
      d.ignore("metadata");
      d.finish();
      report(source, "", problems);
      for (int i = 0; i < items.size(); i++) {
        decode(items.get(i), source.item(i));
      }
      return;
    }
    Optional<Kind> kind = Kind.of(apiVersion.get(), kindName.get());
    if (kind.isEmpty()) {
      problems.add(FieldPath.ROOT, unknownKind(apiVersion.get(), kindName.get()));
      report(source, "", problems);
      return;
    }
    MetadataDecoder.Identity id = MetadataDecoder.peek(kind.get(), d);
    String label =
        kind.get() + id.name().map(n -> " " + (id.namespace().isEmpty() ? n : id.namespace() + "/" + n)).orElse("");
    Optional<Resource> resource;
    try {
      resource = bind(kind.get(), d, id);
    } catch (RuntimeException e) {
      // A record invariant the decoder failed to check first: still one document's problem only.
      problems.add(FieldPath.ROOT, "invalid resource: " + e.getMessage());
      resource = Optional.empty();
    }
    if (!problems.isEmpty() || resource.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add(FieldPath.ROOT, "invalid resource");
      }
      report(source, label, problems);
      id.name().ifPresent(n -> rejected.accept(new ResourceKey(kind.get(), id.namespace(), n)));
      return;
    }
    resources.accept(new Loaded(resource.get(), source));
  }

  private static Optional<Resource> bind(Kind kind, Obj d, MetadataDecoder.Identity id) {
    Optional<ObjectMeta> meta = MetadataDecoder.decode(kind, d);
    // Without valid metadata, decode against a placeholder so spec problems are still reported.
    ObjectMeta placeholder = ObjectMeta.of("invalid", id.namespace(), Map.of());
    d.ignore("status");
    Optional<Resource> resource =
        switch (kind) {
          case WORKLOAD -> withSpec(d, meta, placeholder, (m, spec) -> InventoryDecoder.workload(m, spec));
          case NODE -> withSpec(d, meta, placeholder, (m, spec) -> InventoryDecoder.node(m, Optional.of(spec)));
          case MESH_SERVICE, SERVICE -> withSpec(d, meta, placeholder, (m, spec) -> InventoryDecoder.service(kind, m, spec));
          case NAMESPACE -> {
            Obj spec = spec(d);
            spec.ignore("finalizers");
            spec.finish();
            yield meta.flatMap(m -> InventoryDecoder.namespace(m, d.at("metadata").field("labels"), d.problems()));
          }
          case NETWORK_POLICY -> withSpec(d, meta, placeholder, NetworkPolicyDecoder::decode);
          case CILIUM_NETWORK_POLICY, CILIUM_CLUSTERWIDE_NETWORK_POLICY -> {
            d.raw("specs");
            ObjectMeta m = meta.orElse(placeholder);
            Optional<Resource> r = CiliumDecoder.decode(kind, m, d);
            yield meta.isPresent() ? r : Optional.empty();
          }
          case AUTHORIZATION_POLICY ->
              withSpec(d, meta, placeholder, (m, spec) -> IstioDecoder.authorizationPolicy(m, Optional.of(spec)));
          case PEER_AUTHENTICATION ->
              withSpec(d, meta, placeholder, (m, spec) -> IstioDecoder.peerAuthentication(m, Optional.of(spec)));
          case VIRTUAL_SERVICE -> withSpec(d, meta, placeholder, VirtualServiceDecoder::decode);
          case DESTINATION_RULE -> withSpec(d, meta, placeholder, DestinationRuleDecoder::decode);
          case SIDECAR -> withSpec(d, meta, placeholder, SidecarDecoder::decode);
        };
    d.finish();
    return resource;
  }

  /** Decodes the spec even when metadata is invalid, so one pass reports every problem. */
  private static Optional<Resource> withSpec(
      Obj d,
      Optional<ObjectMeta> meta,
      ObjectMeta placeholder,
      BiFunction<ObjectMeta, Obj, Optional<Resource>> f) {
    Optional<Resource> r = f.apply(meta.orElse(placeholder), spec(d));
    return meta.isPresent() ? r : Optional.empty();
  }

  /** The {@code spec} object; an absent spec reads as {@code {}} (every field defaulted). */
  private static Obj spec(Obj d) {
    Optional<JsonNode> raw = d.raw("spec");
    JsonNode node = raw.orElseGet(JsonNodeFactory.instance::objectNode);
    return Obj.of(node, d.at("spec"), d.problems()).orElseGet(() -> Obj.of(JsonNodeFactory.instance.objectNode(), d.at("spec"), new Problems()).orElseThrow());
  }

  private static String unknownKind(String apiVersion, String kind) {
    List<Kind> sameName = Arrays.stream(Kind.values()).filter(k -> k.kindName().equals(kind)).toList();
    if (!sameName.isEmpty()) {
      return "apiVersion " + Values.quote(apiVersion) + " is not supported for " + kind + " (expected: "
          + sameName.stream().flatMap(k -> k.apiVersions().stream()).collect(Collectors.joining(" or ")) + ")";
    }
    for (Kind k : Kind.values()) {
      if (k.kindName().equalsIgnoreCase(kind)) {
        return "unsupported kind " + Values.quote(kind) + " (did you mean " + k.kindName() + "?)";
      }
    }
    return "unsupported kind " + Values.quote(kind) + " (apiVersion " + Values.quote(apiVersion) + "; weft reads "
        + Arrays.stream(Kind.values()).map(Kind::kindName).distinct().collect(Collectors.joining(", ")) + ", List)";
  }

  private void report(SourceRef source, String resource, Problems problems) {
    for (Problems.Problem p : problems.list()) {
      errors.accept(new LoadError(source, resource, p.path().toString(), p.message()));
    }
  }
}
