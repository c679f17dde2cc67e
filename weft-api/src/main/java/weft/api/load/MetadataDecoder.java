package weft.api.load;

import java.util.Map;
import java.util.Optional;
import weft.api.Kind;
import weft.api.meta.ObjectMeta;

/** Decodes {@code metadata}: name, namespace (defaulted), labels, annotations. */
final class MetadataDecoder {
  static final String DEFAULT_NAMESPACE = "default";

  private MetadataDecoder() {}

  /** The name and namespace as far as they can be read, for naming the resource in errors. */
  record Identity(Optional<String> name, String namespace) {}

  /** Reads only name/namespace, without reporting problems (used to label errors early). */
  static Identity peek(Kind kind, Obj doc) {
    var metadata = doc.raw("metadata");
    Optional<String> name =
        metadata.map(m -> m.get("name")).filter(n -> n != null && n.isTextual()).map(n -> n.textValue());
    String namespace =
        kind.namespaced()
            ? metadata
                .map(m -> m.get("namespace"))
                .filter(n -> n != null && n.isTextual() && !n.textValue().isEmpty())
                .map(n -> n.textValue())
                .orElse(DEFAULT_NAMESPACE)
            : "";
    return new Identity(name, namespace);
  }

  static Optional<ObjectMeta> decode(Kind kind, Obj doc) {
    Optional<Obj> metadata = doc.object("metadata");
    if (metadata.isEmpty()) {
      if (!doc.has("metadata")) {
        doc.problems().add(doc.at("metadata"), "required");
      }
      return Optional.empty();
    }
    Obj m = metadata.get();
    Problems problems = m.problems();
    int before = problems.size();
    Optional<String> name = m.requiredString("name");
    name.ifPresent(
        n ->
            (kind == Kind.NAMESPACE ? KubernetesNames.checkDnsLabel(n) : KubernetesNames.checkDnsSubdomain(n))
                .ifPresent(p -> problems.add(m.at("name"), p)));
    Optional<String> namespace = m.string("namespace").filter(ns -> !ns.isEmpty());
    if (!kind.namespaced() && namespace.isPresent()) {
      problems.add(m.at("namespace"), kind.kindName() + " is cluster-scoped: remove namespace");
    }
    namespace.ifPresent(
        ns -> KubernetesNames.checkDnsLabel(ns).ifPresent(p -> problems.add(m.at("namespace"), p)));
    Map<String, String> labels = labels(m, "labels");
    Map<String, String> annotations = m.stringMap("annotations");
    // Fields the API server fills in: harmless in files exported with kubectl get -o yaml.
    m.ignore(
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "ownerReferences", "finalizers", "generateName", "deletionTimestamp",
        "deletionGracePeriodSeconds");
    m.finish();
    if (problems.size() > before || name.isEmpty()) {
      return Optional.empty();
    }
    String ns = kind.namespaced() ? namespace.orElse(DEFAULT_NAMESPACE) : "";
    return Optional.of(new ObjectMeta(name.get(), ns, labels, annotations));
  }

  /** A label map with Kubernetes key and value rules checked. */
  static Map<String, String> labels(Obj o, String field) {
    Map<String, String> labels = o.stringMap(field);
    FieldPath at = o.at(field);
    labels.forEach(
        (k, v) -> {
          KubernetesNames.checkLabelKey(k).ifPresent(p -> o.problems().add(at.key(k), p));
          KubernetesNames.checkLabelValue(v).ifPresent(p -> o.problems().add(at.key(k), p));
        });
    return labels;
  }
}
