/** Local Step Functions service: see service.ts for the execution, journal and resume model. */
export { LocalStepFunctions } from './service.js';
export type { ExecutionInfo, LoadedStateMachineDescription, LocalStepFunctionsOptions } from './service.js';
export type { ExecutionStatus } from './store.js';
export { executionArnOf, stateMachineArn } from './definition.js';
export { SfnServiceError } from './http.js';
export { TaskFaults } from './faults.js';
export type { FaultTimes, InjectedFailure, TaskFault, TaskFaultOptions } from './faults.js';
