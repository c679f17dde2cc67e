package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.api.Kind;
import weft.api.ResourceKey;
import weft.api.ResourceSet;
import weft.api.Workload;

class ResourceLoaderTest {
  @TempDir Path dir;

  private static String workload(String name) {
    return "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: " + name + "}\n";
  }

  private Path write(String relative, String content) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private List<String> names(LoadResult r) {
    return r.loaded().stream().map(l -> l.resource().metadata().name()).toList();
  }

  @Test
  void directoriesAreWalkedRecursivelyInPathOrderForYamlAndJsonFiles() throws IOException {
    write("b.yaml", workload("b"));
    write("a/z.yml", workload("az"));
    write("c.json", "{\"apiVersion\": \"weft.dev/v1alpha1\", \"kind\": \"Workload\", \"metadata\": {\"name\": \"c\"}}");
    write("notes.txt", "not a resource");
    LoadResult r = ResourceLoader.load(List.of(dir));
    assertThat(r.errors()).isEmpty();
    assertThat(names(r)).containsExactly("az", "b", "c");
    assertThat(r.loaded().get(0).source().toString()).isEqualTo(dir.resolve("a/z.yml") + "[0]");
  }

  @Test
  void oneBadDocumentDoesNotHideTheOthers() throws IOException {
    Path f =
        write(
            "multi.yaml",
            "# leading comment\n---\n" + workload("one") + "---\n# only a comment\n---\n"
                + "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: two\n" // unclosed flow
                + "---\n" + workload("three") + "spec: {ports: [{port: 0}]}\n"
                + "---\n" + workload("four"));
    LoadResult r = ResourceLoader.load(List.of(f));
    assertThat(names(r)).containsExactly("one", "four");
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors().get(0).toString()).startsWith(f + "[1]: invalid YAML: ").contains("while parsing a flow mapping").contains("line 11");
    assertThat(r.errors().get(1).toString())
        .isEqualTo(f + "[2]: Workload default/three: spec.ports[0].port: expected an integer 1..65535, got 0");
    assertThat(r.rejected()).containsExactly(new ResourceKey(Kind.WORKLOAD, "default", "three"));
  }

  @Test
  void jsonArraysAndConcatenatedValuesAreDocuments() {
    String w = "{\"apiVersion\": \"weft.dev/v1alpha1\", \"kind\": \"Workload\", \"metadata\": {\"name\": \"%s\"}}";
    LoadResult r =
        ResourceLoader.parse("x.json", "[" + w.formatted("a") + ", " + w.formatted("b") + "]\n" + w.formatted("c"));
    assertThat(r.errors()).isEmpty();
    assertThat(names(r)).containsExactly("a", "b", "c");
    assertThat(r.loaded().get(2).source().toString()).isEqualTo("x.json[2]");
  }

  @Test
  void listItemsAreDecodedAndNamedByItemIndex() {
    LoadResult r =
        ResourceLoader.parse(
            "list.yaml",
            """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: weft.dev/v1alpha1, kind: Workload, metadata: {name: a}}
            - {apiVersion: weft.dev/v1alpha1, kind: Workload, metadata: {name: b}, spec: {node: 3}}
            """);
    assertThat(names(r)).containsExactly("a");
    assertThat(r.errorReport())
        .isEqualTo("list.yaml[0].items[1]: Workload default/b: spec.node: expected a string, got 3 (quote it: YAML reads unquoted numbers as numbers)\n");
  }

  @Test
  void aDuplicateKeyIsReportedAndTheFirstDefinitionKept() throws IOException {
    Path a = write("a.yaml", workload("w") + "spec: {serviceAccount: first}\n");
    Path b = write("b.yaml", workload("w") + "spec: {serviceAccount: second}\n");
    LoadResult r = ResourceLoader.load(List.of(a, b));
    assertThat(r.errorReport()).isEqualTo(b + "[0]: Workload default/w: duplicate of " + a + "[0]\n");
    ResourceSet set = r.resources();
    assertThat(set.workload("default", "w").map(Workload::serviceAccount)).contains("first");
  }

  @Test
  void duplicateYamlKeysAreErrors() {
    LoadResult r = ResourceLoader.parse("d.yaml", workload("w") + "spec: {node: a, node: b}\n");
    assertThat(r.loaded()).isEmpty();
    assertThat(r.errorReport()).startsWith("d.yaml[0]: invalid YAML: Duplicate field 'node'");
  }

  @Test
  void aMissingPathIsAnErrorNotAnException() {
    Path missing = dir.resolve("nope.yaml");
    LoadResult r = ResourceLoader.load(List.of(missing));
    assertThat(r.errorReport()).isEqualTo(missing + ": no such file or directory\n");
  }

  @Test
  void aFileGivenTwiceIsReadOnce() throws IOException {
    Path f = write("w.yaml", workload("w"));
    LoadResult r = ResourceLoader.load(List.of(f, dir));
    assertThat(r.errors()).isEmpty();
    assertThat(r.loaded()).hasSize(1);
  }

  @Test
  void aByteOrderMarkAndWindowsLineEndingsAreAccepted() {
    LoadResult r =
        ResourceLoader.parse("bom.yaml", "\uFEFF---\r\n" + workload("a").replace("\n", "\r\n") + "---\r\n" + workload("b"));
    assertThat(r.errors()).isEmpty();
    assertThat(names(r)).containsExactly("a", "b");
  }

  @Test
  void hostileDocumentsAreRefusedNotFollowed() {
    // Deep nesting hits the parser's limit; alias expansion ("billion laughs") hits weft's. An
    // error for that document, never a stack overflow or an exhausted heap.
    String deep = "[".repeat(5000) + "]".repeat(5000);
    StringBuilder laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      laughs.append("a").append(i).append(": &a").append(i).append(" [");
      laughs.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
    }
    LoadResult r =
        ResourceLoader.parse("hostile.yaml", deep + "\n---\n" + laughs + "---\n" + workload("ok"));
    assertThat(names(r)).containsExactly("ok");
    assertThat(r.errors().get(0).toString())
        .startsWith("hostile.yaml[0]: invalid YAML: Document nesting depth (1001) exceeds the maximum allowed (1000");
    assertThat(r.errors().get(1).toString())
        .startsWith("hostile.yaml[1]: invalid YAML: aliases expand to more than 100000 nodes");
    assertThat(r.errors()).hasSize(2);
  }

  @Test
  void anchorsAndAliasesAreResolvedAsKubernetesDoes() {
    LoadResult r =
        ResourceLoader.parse(
            "alias.yaml",
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: n}
            spec:
              podSelector: &jobs {matchLabels: {app: jobs}}
              ingress: [{from: [{podSelector: *jobs, namespaceSelector: &team {matchLabels: {team: hiring}}}]}]
              egress: [{to: [{namespaceSelector: *team}]}]
            """);
    assertThat(r.errors()).isEmpty();
    var np = (weft.api.NetworkPolicy) r.loaded().get(0).resource();
    var peer = (weft.api.k8s.NetworkPolicyPeer.Pods) np.ingress().get(0).peers().get(0);
    assertThat(peer.pods()).isEqualTo(np.podSelector());
    assertThat(peer.namespaces().orElseThrow().matchLabels()).containsEntry("team", "hiring");
    assertThat(np.egress().get(0).peers())
        .containsExactly(new weft.api.k8s.NetworkPolicyPeer.Pods(weft.api.meta.LabelSelector.EVERYTHING, peer.namespaces()));
  }

  @Test
  void anAliasOfAPlainValueIsAnError() {
    assertThat(ResourceLoader.parse("u.yaml", workload("w") + "spec: {cluster: &c east, node: *c}\n").errorReport())
        .startsWith(
            "u.yaml[0]: invalid YAML: alias *c: weft resolves aliases of lists and maps only (no anchor &c on a list or map before it)");
  }

  @Test
  void aDocumentThatIsNotAnObjectIsAnError() {
    assertThat(ResourceLoader.parse("s.yaml", "just a string\n").errorReport())
        .isEqualTo("s.yaml[0]: expected an object, got \"just a string\"\n");
  }

  @Test
  void resourceSetIndexesByKindNamespaceAndName() {
    LoadResult r =
        ResourceLoader.parse(
            "set.yaml",
            workload("b") + "---\n" + workload("a") + "---\n"
                + "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: c, namespace: jobs}\n---\n"
                + "apiVersion: v1\nkind: Namespace\nmetadata: {name: jobs}\n");
    ResourceSet set = r.resources();
    assertThat(set.workloads()).extracting(w -> w.key().qualifiedName()).containsExactly("default/a", "default/b", "jobs/c");
    assertThat(set.inNamespace(Kind.WORKLOAD, "jobs")).hasSize(1);
    assertThat(set.ofKind(Kind.NAMESPACE)).hasSize(1);
    assertThat(set.namespace("jobs")).isPresent();
    assertThat(set).isEqualTo(ResourceLoader.parse("other.yaml", "---\n" + workload("a") + "---\n" + workload("b")
        + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: jobs}\n---\n"
        + "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: c, namespace: jobs}\n").resources());
  }
}
