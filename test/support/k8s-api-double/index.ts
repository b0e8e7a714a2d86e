/** TEST-ONLY Kubernetes API server double (see k8s-api-double.ts). Never imported by product code. */
export { K8sApiDouble, type K8sApiDoubleOptions, type LoggedRequest } from './k8s-api-double';
export { compileSelector } from './label-selector';
export { selfSignedCert, type SelfSignedCert } from './self-signed-cert';
