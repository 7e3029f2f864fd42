/**
 * The pipeline's stages as the runner reports them (workers/pipeline-runner.ts PIPELINE_STAGES),
 * with the labels the parameters panel shows, in order.
 */
export const PIPELINE_STAGE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['selection', 'Atom selection'],
  ['lens', 'LENS'],
  ['smoothing', 'Smoothing'],
  ['pca', 'SOAP & PCA fit'],
  ['projection', 'PCA projection'],
  ['clustering', 'Clusters, transitions, macro'],
];

/** Known stages in order, then any other stage the run reported (so nothing reported is hidden). */
export function stageList(reported: readonly string[]): Array<readonly [string, string]> {
  const known = new Set(PIPELINE_STAGE_NAMES.map(([id]) => id));
  const extra = [...new Set(reported.filter((s) => !known.has(s)))].map((s) => [s, s] as const);
  return [...PIPELINE_STAGE_NAMES, ...extra];
}
