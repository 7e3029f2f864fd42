export {
  computeSoap, createSoapScratch, fillSoapRow, normalizeRow, planSoap, soapCoefficients, soapFrame, sortSpecies,
  speciesCodes, SOAP_RADIUS_PADDING,
  type SoapCompression, type SoapLayout, type SoapParams, type SoapPlan, type SoapRbf, type SoapScratch, type SoapWeighting,
} from './soap.ts';
export { gtoBasis, polynomialBasis, type GtoBasis, type PolynomialBasis } from './basis.ts';
