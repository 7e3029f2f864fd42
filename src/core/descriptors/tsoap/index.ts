export {
  computeTsoap, createTsoapState, diffRows, normaliseRows, planTsoap, tsoapDistances, tsoapPush, tsoapTranspose,
  type TsoapConvention, type TsoapParams, type TsoapPlan, type TsoapState,
} from './tsoap.ts';
