/**
 * The control plane's resource store and the sources that feed it (stage: load, then bind by
 * {@code weft-api}'s loader).
 *
 * <table>
 *   <caption>Files</caption>
 *   <tr><td>{@code Store}</td><td>merges named sources into one revisioned, immutable
 *       {@code StoreState}; last good content per source; first owner wins a conflict; listeners</td></tr>
 *   <tr><td>{@code StoreState}, {@code SourceStatus}</td><td>revision, resources, per-source
 *       ok/errors/last good revision, owner of each resource</td></tr>
 *   <tr><td>{@code ConfigDirSource}</td><td>a directory watched recursively (WatchService + debounce
 *       + periodic rescan); one source per file, named by its relative path</td></tr>
 *   <tr><td>{@code ApiSource}</td><td>the {@code api} source: all-or-nothing apply/delete, persisted
 *       under {@code <data-dir>/api/applied.json}</td></tr>
 * </table>
 */
package weft.controlplane.store;
