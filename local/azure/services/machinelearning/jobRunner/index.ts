export * from "./commandExpressions";
export * from "./jobEnvironment";
export * from "./jobFailure";
export * from "./jobProcess";
export * from "./jobRun";
export * from "./jobRunner";
export * from "./jobWorkspace";
export * from "./pythonRuntime";
