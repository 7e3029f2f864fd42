export {
  computeSoap, createSoapScratch, fillSoapRow, normalizeRow, planSoap, soapCoefficients, soapFrame, sortSpecies,
  speciesCodes, SOAP_RADIUS_PADDING, DEFAULT_SOAP_KERNEL,
  type SoapCompression, type SoapKernel, type SoapLayout, type SoapParams, type SoapPlan, type SoapRbf, type SoapScratch, type SoapWeighting,
} from './soap.ts';
export { gtoBasis, polynomialBasis, type GtoBasis, type PolynomialBasis } from './basis.ts';
export { soapWasmAvailable } from './wasm/soap-wasm.ts';
