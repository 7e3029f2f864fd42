export {
  computeLode, createLodeScratch, lambda0Row, lodeFrame, planLode, powerSpectrumRow, speciesChannels, DEFAULT_K_CUTOFF_FACTOR,
  type LodeFrameInput, type LodeOutput, type LodeParams, type LodePlan, type LodeScratch,
} from './lode.ts';
export { multiScaleRow, multiScaleWidth, type DensityShape } from './multiscale.ts';
export type { LodeRadialBasisKind } from './radial.ts';
