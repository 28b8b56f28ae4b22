/**
 * Graphviz DOT → SVG with @viz-js/viz (Graphviz compiled to WebAssembly; offline).
 * Loaded with import(): the package's types are ESM, and the CommonJS build of
 * this library must not require() it.
 */
export async function renderDotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}
