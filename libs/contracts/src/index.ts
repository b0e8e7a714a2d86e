export * from './validation';
export * from './rocklet';
