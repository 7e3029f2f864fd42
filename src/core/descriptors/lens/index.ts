export {
  buildNeighbourSets, createLensFrameOut, createLensScratch, createLensState, createNeighbourSets, DYNSIGHT_CUTOFF_SHRINK,
  lensColumns, lensCompare, lensFrame, planLens,
  type LensConvention, type LensFrameOut, type LensParams, type LensPlan, type LensScratch, type LensState, type NeighbourSets,
} from './lens.ts';
export {
  computeLens, computeLensChunk, lensAtFrame, mdanalysisFloat32Frame, mergeLensChunks, splitFrames, trajectoryFrames, universeMask,
  type FrameSource, type LensChunk, type LensResult, type LensSelection,
} from './compute-lens.ts';
export { DEFAULT_LENS_WEIGHT, jointFrame, jointRows } from './joint.ts';
