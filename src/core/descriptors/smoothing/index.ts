export {
  planSavgol, savgolCoeffs, savgolFilter, savgolRows, savgolSeries, SAVGOL_MODES,
  type SavgolMode, type SavgolParams, type SavgolPlan,
} from './savgol.ts';
export {
  clipInPlace, lensForward, selectAlignedFrames, sliceColumns, smoothLens, trimRange,
  type LensSmoothingParams, type SmoothedLens,
} from './postprocess.ts';
